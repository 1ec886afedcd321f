package dev.astrid.host.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.IdentityFunctions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The observable contract of the identity family ({@code astrid_identity_*}, docs/families/identity.md) that
 * every identity provider must pass. Extend it and implement {@link #createProvider()}.
 *
 * <p>What it pins down: the request and answer JSON (optional fields left out, not null), the
 * platform rules, the capability levels ({@code resolve < link < admin}) with refusals answered
 * in the JSON, parse errors that end the call, the bootstrap user {@code root} on {@code cli}/
 * {@code local}, one store shared by every capsule of a host, and durability across a restart of
 * the provider on the same host data directory.
 *
 * <p>Answers are compared as parsed JSON, never as text: upstream does not fix the key order.
 */
public abstract class IdentityProviderContract extends ProviderContract<IdentityFunctions> {
    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final String RFC3339_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{3}|\\.\\d{6}|\\.\\d{9})?\\+00:00";
    private static final String UNKNOWN_USER = "0b5f1c2e-9d3a-4e7b-8c6d-5a4f3e2d1c0b";

    @Override
    protected final Family family() {
        return Family.IDENTITY;
    }

    /** The provider is found as a host finds it: its module provides it and ServiceLoader loads it. */
    @Test
    void isRegisteredForServiceLoader() {
        assertRegisteredAsService();
    }

    @AfterEach
    void closeIdentityProvider() {
        provider.close();
    }

    /** Create, link, resolve, list and unlink, and what the answers hold. */
    @Nested
    class Flow {
        @Test
        void createLinkResolveListUnlinkResolve() {
            IdentityFunctions id = capsule("flow", "admin");

            Map<String, Object> created = json(id.identityCreateUser(b("{\"display_name\":\"Alice\"}")));
            assertThat(created).containsOnlyKeys("ok", "user_id").containsEntry("ok", true);
            String user = (String) created.get("user_id");
            assertThat(user).matches(UUID_PATTERN);

            Map<String, Object> linked = json(id.identityLink(linkRequest("discord", "alice#1", user, "oauth")));
            assertThat(linked).containsOnlyKeys("ok", "link").containsEntry("ok", true);
            Map<String, Object> link = object(linked.get("link"));
            assertThat(link).containsOnlyKeys("platform", "platform_user_id", "astrid_user_id", "linked_at", "method")
                    .containsEntry("platform", "discord")
                    .containsEntry("platform_user_id", "alice#1")
                    .containsEntry("astrid_user_id", user)
                    .containsEntry("method", "oauth");
            assertThat((String) link.get("linked_at")).matches(RFC3339_UTC);

            assertThat(json(id.identityResolve(resolveRequest("discord", "alice#1"))))
                    .isEqualTo(Map.of("found", true, "user_id", user, "display_name", "Alice"));

            assertThat(json(id.identityListLinks(listRequest(user))))
                    .isEqualTo(Map.of("ok", true, "links", List.of(link)));

            assertThat(json(id.identityUnlink(resolveRequest("discord", "alice#1"))))
                    .isEqualTo(Map.of("ok", true, "removed", true));
            assertThat(json(id.identityUnlink(resolveRequest("discord", "alice#1"))))
                    .isEqualTo(Map.of("ok", true, "removed", false));

            assertThat(json(id.identityResolve(resolveRequest("discord", "alice#1")))).isEqualTo(Map.of("found", false));
            assertThat(json(id.identityListLinks(listRequest(user)))).isEqualTo(Map.of("ok", true, "links", List.of()));
        }

        @Test
        void displayNameIsOmittedWhenTheUserHasNone() {
            IdentityFunctions id = capsule("anonymous", "admin");
            for (String request : List.of("{}", "{\"display_name\":null}")) {
                String user = createUser(id, request);
                link(id, "matrix", "@" + user + ":example.org", user);
                assertThat(json(id.identityResolve(resolveRequest("matrix", "@" + user + ":example.org"))))
                        .as("resolve after create_user %s", request)
                        .isEqualTo(Map.of("found", true, "user_id", user));
            }
        }

        @Test
        void linkedAtComesFromTheCapsuleClockInRfc3339WithOffset() {
            Instant when = Instant.parse("2026-03-16T12:34:56.123456789Z");
            TestCapsule timed = host.capsule("timed").clock(Clock.fixed(when, ZoneOffset.UTC))
                    .capabilities(Capabilities.builder().identity("admin").build()).build();
            IdentityFunctions id = bind(timed);
            String user = createUser(id, "{\"display_name\":\"T\"}");

            Map<String, Object> link = object(json(id.identityLink(linkRequest("slack", "U1", user, "oauth"))).get("link"));

            assertThat(link).containsEntry("linked_at", "2026-03-16T12:34:56.123456789+00:00");
        }

        @Test
        void platformIsTrimmedAndLowercasedButThePlatformUserIdIsKeptAsGiven() {
            IdentityFunctions id = capsule("normalize", "admin");
            String user = createUser(id, "{\"display_name\":\"N\"}");

            Map<String, Object> link = object(json(id.identityLink(linkRequest("  Discord\t", "AbC", user, "oauth"))).get("link"));

            assertThat(link).containsEntry("platform", "discord").containsEntry("platform_user_id", "AbC");
            assertThat(json(id.identityResolve(resolveRequest("DISCORD", "AbC")))).containsEntry("found", true);
            assertThat(json(id.identityResolve(resolveRequest("discord", "abc")))).isEqualTo(Map.of("found", false));
            assertThat(json(id.identityUnlink(resolveRequest(" DisCord ", "AbC")))).containsEntry("removed", true);
        }

        @Test
        void aUserIdInCapitalsIsAcceptedAndAnsweredInLowercase() {
            IdentityFunctions id = capsule("capitals", "admin");
            String user = createUser(id, "{}");

            Map<String, Object> link = object(json(id.identityLink(
                    linkRequest("irc", "nick", user.toUpperCase(java.util.Locale.ROOT), "manual"))).get("link"));

            assertThat(link).containsEntry("astrid_user_id", user);
        }

        @Test
        void linkingALinkedAccountAgainMovesItToTheNewUser() {
            IdentityFunctions id = capsule("overwrite", "admin");
            String first = createUser(id, "{\"display_name\":\"First\"}");
            String second = createUser(id, "{\"display_name\":\"Second\"}");
            link(id, "telegram", "42", first);

            Map<String, Object> again = json(id.identityLink(linkRequest("telegram", "42", second, "admin")));

            assertThat(again).containsEntry("ok", true);
            assertThat(object(again.get("link"))).containsEntry("astrid_user_id", second).containsEntry("method", "admin");
            assertThat(json(id.identityResolve(resolveRequest("telegram", "42"))))
                    .isEqualTo(Map.of("found", true, "user_id", second, "display_name", "Second"));
            assertThat(json(id.identityListLinks(listRequest(first)))).isEqualTo(Map.of("ok", true, "links", List.of()));
            assertThat(list(json(id.identityListLinks(listRequest(second))).get("links"))).hasSize(1);
        }

        @Test
        void linksAreListedInTheOrderOfTheirKeys() {
            IdentityFunctions id = capsule("order", "admin");
            String user = createUser(id, "{}");
            for (String[] account : new String[][] {{"telegram", "9"}, {"discord", "b"}, {"discord", "a"}, {"ab", "x"},
                    {"ab-c", "y"}}) {
                link(id, account[0], account[1], user);
            }

            List<String> keys = new ArrayList<>();
            for (Object link : list(json(id.identityListLinks(listRequest(user))).get("links"))) {
                keys.add(object(link).get("platform") + "/" + object(link).get("platform_user_id"));
            }

            // Upstream lists its keys link/<platform>/<id> in byte order: "ab-c/" sorts before "ab/".
            assertThat(keys).containsExactly("ab-c/y", "ab/x", "discord/a", "discord/b", "telegram/9");
        }

        @Test
        void theConsoleUserRootIsLinkedAsCliLocal() {
            IdentityFunctions id = capsule("console", "link");

            Map<String, Object> root = json(id.identityResolve(resolveRequest("cli", "local")));

            assertThat(root).containsOnlyKeys("found", "user_id", "display_name")
                    .containsEntry("found", true).containsEntry("display_name", "root");
            List<Object> links = list(json(id.identityListLinks(listRequest((String) root.get("user_id")))).get("links"));
            assertThat(links).hasSize(1);
            assertThat(object(links.get(0))).containsEntry("platform", "cli").containsEntry("platform_user_id", "local")
                    .containsEntry("method", "system");
        }

        @Test
        void everyCapsuleOfAHostSeesTheSameUsers() {
            IdentityFunctions admin = capsule("admin-capsule", "admin");
            IdentityFunctions reader = capsule("reader-capsule", "resolve");
            String user = createUser(admin, "{\"display_name\":\"Shared\"}");
            link(admin, "email", "shared@example.org", user);

            assertThat(json(reader.identityResolve(resolveRequest("email", "shared@example.org"))))
                    .isEqualTo(Map.of("found", true, "user_id", user, "display_name", "Shared"));
        }

        @Test
        void usersAndLinksSurviveARestartOfTheProvider() {
            IdentityFunctions before = capsule("before", "admin");
            String user = createUser(before, "{\"display_name\":\"Durable\"}");
            link(before, "github", "durable", user);
            provider.close();

            provider = createProvider();
            IdentityFunctions after = capsule("after", "link");

            assertThat(json(after.identityResolve(resolveRequest("github", "durable"))))
                    .isEqualTo(Map.of("found", true, "user_id", user, "display_name", "Durable"));
            assertThat(list(json(after.identityListLinks(listRequest(user))).get("links"))).hasSize(1);
        }

        @Test
        void unknownRequestFieldsAreIgnored() {
            IdentityFunctions id = capsule("extra", "admin");

            Map<String, Object> created = json(id.identityCreateUser(b("{\"display_name\":\"X\",\"colour\":\"blue\"}")));

            assertThat(created).containsEntry("ok", true);
        }
    }

    /** Failures answered in the JSON, with the call succeeding. */
    @Nested
    class FailuresAnsweredInJson {
        @Test
        void linkingAnUnknownUserIsAStorageError() {
            IdentityFunctions id = capsule("unknown", "admin");

            assertThat(json(id.identityLink(linkRequest("discord", "1", UNKNOWN_USER, "oauth"))))
                    .isEqualTo(Map.of("ok", false, "error", "storage error: user not found: " + UNKNOWN_USER));
            assertThat(json(id.identityResolve(resolveRequest("discord", "1")))).isEqualTo(Map.of("found", false));
        }

        @TestFactory
        Stream<DynamicTest> aMalformedUserIdIsReportedBeforeTheCapabilityGate() {
            List<DynamicTest> tests = new ArrayList<>();
            for (String level : new String[] {null, "admin"}) {
                for (String bad : List.of("", "not-a-uuid", "1-2-3-4-5", UNKNOWN_USER + "0", "x".repeat(100_000))) {
                    String name = (level == null ? "no capability" : level) + ", astrid_user_id of " + bad.length() + " chars";
                    tests.add(DynamicTest.dynamicTest("link, " + name, () -> {
                        IdentityFunctions id = level == null ? capsule("uuid") : capsule("uuid", level);
                        assertInvalidUuid(json(id.identityLink(linkRequest("discord", "1", bad, "oauth"))));
                    }));
                    tests.add(DynamicTest.dynamicTest("list_links, " + name, () -> {
                        IdentityFunctions id = level == null ? capsule("uuid") : capsule("uuid", level);
                        assertInvalidUuid(json(id.identityListLinks(listRequest(bad))));
                    }));
                }
            }
            return tests.stream();
        }

        private static void assertInvalidUuid(Map<String, Object> answer) {
            assertThat(answer).containsOnlyKeys("ok", "error").containsEntry("ok", false);
            assertThat((String) answer.get("error")).startsWith("invalid UUID: ").hasSizeLessThan(300);
        }

        @TestFactory
        Stream<DynamicTest> namesThatBreakTheRulesAreRefusedInTheJson() {
            IdentityFunctions id = capsule("rules", "admin");
            String user = createUser(id, "{}");
            List<DynamicTest> tests = new ArrayList<>();
            Map<String, String[]> badAccounts = new LinkedHashMap<>();
            badAccounts.put("empty platform", new String[] {"", "1"});
            badAccounts.put("blank platform", new String[] {" \t ", "1"});
            badAccounts.put("platform with a slash", new String[] {"dis/cord", "1"});
            badAccounts.put("platform with NUL", new String[] {"dis\0cord", "1"});
            badAccounts.put("empty platform_user_id", new String[] {"discord", ""});
            badAccounts.put("blank platform_user_id", new String[] {"discord", "   "});
            badAccounts.put("platform_user_id with a slash", new String[] {"discord", "a/b"});
            badAccounts.put("platform_user_id with NUL", new String[] {"discord", "a\0b"});
            badAccounts.forEach((what, account) -> {
                tests.add(DynamicTest.dynamicTest("link, " + what, () ->
                        assertFailed(json(id.identityLink(linkRequest(account[0], account[1], user, "oauth"))))));
                tests.add(DynamicTest.dynamicTest("unlink, " + what, () ->
                        assertFailed(json(id.identityUnlink(resolveRequest(account[0], account[1]))))));
                tests.add(DynamicTest.dynamicTest("resolve, " + what, () -> {
                    Map<String, Object> answer = json(id.identityResolve(resolveRequest(account[0], account[1])));
                    assertThat(answer).containsOnlyKeys("found", "error").containsEntry("found", false);
                    assertThat((String) answer.get("error")).isNotBlank();
                }));
            });
            tests.add(DynamicTest.dynamicTest("link, blank method", () ->
                    assertFailed(json(id.identityLink(linkRequest("discord", "1", user, "  "))))));
            tests.add(DynamicTest.dynamicTest("create_user, display_name with a slash", () ->
                    assertFailed(json(id.identityCreateUser(b("{\"display_name\":\"a/b\"}"))))));
            tests.add(DynamicTest.dynamicTest("create_user, display_name with NUL", () ->
                    assertFailed(json(id.identityCreateUser(b("{\"display_name\":\"a\\u0000b\"}"))))));
            tests.add(DynamicTest.dynamicTest("nothing was linked", () ->
                    assertThat(json(id.identityListLinks(listRequest(user)))).isEqualTo(Map.of("ok", true, "links", List.of()))));
            return tests.stream();
        }

    }

    /** The {@code identity} capability levels, per function. */
    @Nested
    class CapabilityLevels {
        /** Which functions each level may call: resolve < link < admin. */
        @TestFactory
        Stream<DynamicTest> eachLevelMayCallExactlyWhatItsRankAllows() {
            List<DynamicTest> tests = new ArrayList<>();
            String[][] levels = {{}, {"resolve"}, {"link"}, {"admin"}, {"resolve", "admin"}};
            for (String[] granted : levels) {
                String name = granted.length == 0 ? "none" : String.join("+", granted);
                int rank = rank(granted);
                tests.add(DynamicTest.dynamicTest(name + ": resolve", () -> checkResolve(granted, rank >= 1, name)));
                tests.add(DynamicTest.dynamicTest(name + ": link", () -> checkLink(granted, rank >= 2, name)));
                tests.add(DynamicTest.dynamicTest(name + ": unlink", () -> checkUnlink(granted, rank >= 2, name)));
                tests.add(DynamicTest.dynamicTest(name + ": list_links", () -> checkListLinks(granted, rank >= 2)));
                tests.add(DynamicTest.dynamicTest(name + ": create_user", () -> checkCreateUser(granted, rank >= 3)));
            }
            return tests.stream();
        }

        private static int rank(String[] granted) {
            int rank = 0;
            for (String level : granted) {
                rank = Math.max(rank, List.of("resolve", "link", "admin").indexOf(level) + 1);
            }
            return rank;
        }

        private void checkResolve(String[] granted, boolean allowed, String account) {
            IdentityFunctions admin = capsule("gate-admin", "admin");
            String user = createUser(admin, "{\"display_name\":\"Gate\"}");
            link(admin, "resolve", account, user);

            Map<String, Object> answer = json(capsule("gate", granted).identityResolve(resolveRequest("resolve", account)));

            if (allowed) {
                assertThat(answer).isEqualTo(Map.of("found", true, "user_id", user, "display_name", "Gate"));
            } else {
                assertThat(answer).containsOnlyKeys("found", "error").containsEntry("found", false);
                assertThat((String) answer.get("error")).isNotBlank();
            }
        }

        private void checkLink(String[] granted, boolean allowed, String account) {
            IdentityFunctions admin = capsule("gate-admin", "admin");
            String user = createUser(admin, "{}");

            Map<String, Object> answer = json(capsule("gate", granted).identityLink(linkRequest("link", account, user, "test")));

            if (allowed) {
                assertThat(answer).containsEntry("ok", true).containsKey("link");
                assertThat(json(admin.identityResolve(resolveRequest("link", account)))).containsEntry("user_id", user);
            } else {
                assertFailed(answer);
                assertThat(json(admin.identityResolve(resolveRequest("link", account)))).isEqualTo(Map.of("found", false));
            }
        }

        private void checkUnlink(String[] granted, boolean allowed, String account) {
            IdentityFunctions admin = capsule("gate-admin", "admin");
            String user = createUser(admin, "{}");
            link(admin, "unlink", account, user);

            Map<String, Object> answer = json(capsule("gate", granted).identityUnlink(resolveRequest("unlink", account)));

            if (allowed) {
                assertThat(answer).isEqualTo(Map.of("ok", true, "removed", true));
                assertThat(json(admin.identityResolve(resolveRequest("unlink", account)))).isEqualTo(Map.of("found", false));
            } else {
                assertFailed(answer);
                assertThat(json(admin.identityResolve(resolveRequest("unlink", account)))).containsEntry("found", true);
            }
        }

        private void checkListLinks(String[] granted, boolean allowed) {
            IdentityFunctions admin = capsule("gate-admin", "admin");
            String user = createUser(admin, "{}");
            link(admin, "gate", "list", user);

            Map<String, Object> answer = json(capsule("gate", granted).identityListLinks(listRequest(user)));

            if (allowed) {
                assertThat(answer).containsOnlyKeys("ok", "links").containsEntry("ok", true);
                assertThat(list(answer.get("links"))).hasSize(1);
            } else {
                assertFailed(answer);
            }
        }

        private void checkCreateUser(String[] granted, boolean allowed) {
            Map<String, Object> answer = json(capsule("gate", granted).identityCreateUser(b("{\"display_name\":\"New\"}")));

            if (allowed) {
                assertThat(answer).containsOnlyKeys("ok", "user_id").containsEntry("ok", true);
                assertThat((String) answer.get("user_id")).matches(UUID_PATTERN);
            } else {
                assertFailed(answer);
            }
        }
    }

    /** Requests that end the call with a trap. */
    @Nested
    class FailuresThatEndTheCall {
        /** A request that cannot be read is a parse error, which traps whatever the capsule's level. */
        @TestFactory
        Stream<DynamicTest> unreadableRequestsEndTheCall() {
            Map<String, BiFunction<IdentityFunctions, byte[], byte[]>> functions = functions();
            Map<String, List<String>> bad = new LinkedHashMap<>();
            List<String> common = List.of("", "not json", "[]", "\"text\"", "42", "null", "{\"platform\":", "{} {}",
                    "{'platform':'discord'}");
            bad.put("resolve", concat(common, "{}", "{\"platform\":\"discord\"}",
                    "{\"platform\":1,\"platform_user_id\":\"1\"}", "{\"platform\":\"discord\",\"platform_user_id\":null}"));
            bad.put("link", concat(common, "{}", "{\"platform\":\"discord\",\"platform_user_id\":\"1\",\"method\":\"m\"}",
                    "{\"platform\":\"discord\",\"platform_user_id\":\"1\",\"astrid_user_id\":7,\"method\":\"m\"}",
                    "{\"platform\":\"discord\",\"platform_user_id\":\"1\",\"astrid_user_id\":\"" + UNKNOWN_USER + "\",\"method\":[]}"));
            bad.put("unlink", concat(common, "{}", "{\"platform_user_id\":\"1\"}", "{\"platform\":{},\"platform_user_id\":\"1\"}"));
            bad.put("create_user", concat(common, "{\"display_name\":5}", "{\"display_name\":false}", "{\"display_name\":[\"a\"]}"));
            bad.put("list_links", concat(common, "{}", "{\"astrid_user_id\":null}", "{\"astrid_user_id\":1.5}"));

            List<DynamicTest> tests = new ArrayList<>();
            bad.forEach((fn, requests) -> {
                for (String request : requests) {
                    for (String level : new String[] {"admin", null}) {
                        String name = fn + " " + request + (level == null ? " (no capability)" : "");
                        tests.add(DynamicTest.dynamicTest(name, () -> {
                            IdentityFunctions id = level == null ? capsule("parse") : capsule("parse", level);
                            assertHostError(() -> functions.get(fn).apply(id, b(request)));
                        }));
                    }
                }
                tests.add(DynamicTest.dynamicTest(fn + " invalid UTF-8", () -> {
                    IdentityFunctions id = capsule("parse", "admin");
                    assertHostError(() -> functions.get(fn).apply(id, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}));
                }));
            });
            return tests.stream();
        }

        /** Upstream's install/upgrade environment has no identity store: every identity call traps. */
        @TestFactory
        Stream<DynamicTest> identityCallsDuringInstallOrUpgradeEndTheCall() {
            List<DynamicTest> tests = new ArrayList<>();
            for (String export : List.of("astrid_install", "astrid_upgrade")) {
                functions().forEach((fn, call) -> tests.add(DynamicTest.dynamicTest(fn + " during " + export, () -> {
                    TestCapsule installing = host.capsule("installing")
                            .capabilities(Capabilities.builder().identity("admin").build()).build();
                    IdentityFunctions id = bind(installing);
                    installing.setInvocation(new Invocation(export, Invocation.Caller.NONE));
                    assertHostError(() -> call.apply(id, b("{}")));
                })));
            }
            return tests.stream();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** Binds the provider for a new capsule holding the given {@code identity} levels. */
    protected IdentityFunctions capsule(String id, String... identityLevels) {
        return bind(host.capsule(id).capabilities(Capabilities.builder().identity(identityLevels).build()).build());
    }

    private static void assertFailed(Map<String, Object> answer) {
        assertThat(answer).containsOnlyKeys("ok", "error").containsEntry("ok", false);
        assertThat((String) answer.get("error")).isNotBlank();
    }

    /** Creates a user with a raw create_user request and answers its id. */
    protected static String createUser(IdentityFunctions id, String request) {
        Map<String, Object> answer = json(id.identityCreateUser(b(request)));
        assertThat(answer).as("create_user %s", request).containsEntry("ok", true);
        return (String) answer.get("user_id");
    }

    /** Links an account with method {@code test}, expecting success. */
    protected static void link(IdentityFunctions id, String platform, String platformUserId, String user) {
        assertThat(json(id.identityLink(linkRequest(platform, platformUserId, user, "test"))))
                .as("link %s/%s", platform, platformUserId).containsEntry("ok", true);
    }

    /** {@code {"platform","platform_user_id"}}, the request of resolve and unlink. */
    protected static byte[] resolveRequest(String platform, String platformUserId) {
        return b("{\"platform\":" + quote(platform) + ",\"platform_user_id\":" + quote(platformUserId) + "}");
    }

    /** {@code {"platform","platform_user_id","astrid_user_id","method"}}. */
    protected static byte[] linkRequest(String platform, String platformUserId, String user, String method) {
        return b("{\"platform\":" + quote(platform) + ",\"platform_user_id\":" + quote(platformUserId)
                + ",\"astrid_user_id\":" + quote(user) + ",\"method\":" + quote(method) + "}");
    }

    /** {@code {"astrid_user_id"}}. */
    protected static byte[] listRequest(String user) {
        return b("{\"astrid_user_id\":" + quote(user) + "}");
    }

    private static Map<String, BiFunction<IdentityFunctions, byte[], byte[]>> functions() {
        Map<String, BiFunction<IdentityFunctions, byte[], byte[]>> m = new LinkedHashMap<>();
        m.put("resolve", IdentityFunctions::identityResolve);
        m.put("link", IdentityFunctions::identityLink);
        m.put("unlink", IdentityFunctions::identityUnlink);
        m.put("create_user", IdentityFunctions::identityCreateUser);
        m.put("list_links", IdentityFunctions::identityListLinks);
        return m;
    }

    private static List<String> concat(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

    /** A JSON string literal. */
    protected static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }

    /** An answer parsed as a JSON object: maps, lists, strings, booleans, numbers and nulls. */
    protected static Map<String, Object> json(byte[] answer) {
        Object value = JsonTree.parse(s(answer));
        assertThat(value).as("answer %s", s(answer)).isInstanceOf(Map.class);
        return object(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }
}
