package dev.astrid.host.identity.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.astrid.host.identity.AstridUser;
import dev.astrid.host.identity.IdentityStore;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.tck.TestCapsule;
import dev.astrid.sys.abi.IdentityFunctions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON adapter byte for byte: exact answers, errors, and what is left out. */
class GuestIdentityTest {
    private static final Instant NOW = Instant.parse("2026-03-16T12:34:56.123456Z");
    private static final String GHOST = "0b5f1c2e-9d3a-4e7b-8c6d-5a4f3e2d1c0b";

    @TempDir
    Path dir;

    private IdentityStore store;
    private TestCapsule.Host host;
    private TestCapsule adminCapsule;
    private IdentityFunctions admin;

    @BeforeEach
    void setUp() {
        store = IdentityStore.open(dir.resolve("identity.db"), Clock.fixed(NOW, ZoneOffset.UTC));
        host = new TestCapsule.Host(dir);
        adminCapsule = capsule("admin-capsule", "admin");
        admin = GuestIdentity.bind(store, adminCapsule);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private TestCapsule capsule(String id, String... levels) {
        return host.capsule(id).capabilities(Capabilities.builder().identity(levels).build()).build();
    }

    // ---- answers, compared as text: compact, fixed order, nothing null --------------------------

    @Test
    void createUserAnswersTheNewId() {
        String answer = call(admin::identityCreateUser, "{\"display_name\":\"Alice\"}");

        JsonObject o = parse(answer);
        String id = o.get("user_id").getAsString();
        assertThat(answer).isEqualTo("{\"ok\":true,\"user_id\":\"" + id + "\"}");
        assertThat(store.user(java.util.UUID.fromString(id))).map(AstridUser::displayName).contains(Optional.of("Alice"));
    }

    @Test
    void resolveAnswersTheUserAndNameOrLeavesTheNameOut() {
        AstridUser named = store.createUser(Optional.of("Zoë <&> 'x'"));
        AstridUser nameless = store.createUser(Optional.empty());
        store.link("discord", "1", named.id(), "oauth");
        store.link("discord", "2", nameless.id(), "oauth");

        assertThat(call(admin::identityResolve, "{\"platform\":\"discord\",\"platform_user_id\":\"1\"}"))
                .isEqualTo("{\"found\":true,\"user_id\":\"" + named.id() + "\",\"display_name\":\"Zoë <&> 'x'\"}");
        assertThat(call(admin::identityResolve, "{\"platform\":\"discord\",\"platform_user_id\":\"2\"}"))
                .isEqualTo("{\"found\":true,\"user_id\":\"" + nameless.id() + "\"}");
        assertThat(call(admin::identityResolve, "{\"platform\":\"discord\",\"platform_user_id\":\"3\"}"))
                .isEqualTo("{\"found\":false}");
    }

    @Test
    void linkAnswersTheStoredLink() {
        AstridUser user = store.createUser(Optional.empty());

        String answer = call(admin::identityLink, "{\"platform\":\" Slack \",\"platform_user_id\":\"U1\","
                + "\"astrid_user_id\":\"" + user.id().toString().toUpperCase(java.util.Locale.ROOT) + "\",\"method\":\"oauth\"}");

        assertThat(answer).isEqualTo("{\"ok\":true,\"link\":{\"platform\":\"slack\",\"platform_user_id\":\"U1\","
                + "\"astrid_user_id\":\"" + user.id() + "\",\"linked_at\":\"2026-03-16T12:34:56.123456+00:00\","
                + "\"method\":\"oauth\"}}");
    }

    @Test
    void unlinkAnswersWhetherSomethingWasRemoved() {
        AstridUser user = store.createUser(Optional.empty());
        store.link("slack", "U1", user.id(), "oauth");
        String request = "{\"platform\":\"slack\",\"platform_user_id\":\"U1\"}";

        assertThat(call(admin::identityUnlink, request)).isEqualTo("{\"ok\":true,\"removed\":true}");
        assertThat(call(admin::identityUnlink, request)).isEqualTo("{\"ok\":true,\"removed\":false}");
    }

    @Test
    void listLinksAnswersEveryLinkInKeyOrder() {
        AstridUser user = store.createUser(Optional.empty());
        store.link("telegram", "9", user.id(), "t");
        store.link("discord", "1", user.id(), "d");

        String answer = call(admin::identityListLinks, "{\"astrid_user_id\":\"" + user.id() + "\"}");

        String linkTail = "\"astrid_user_id\":\"" + user.id() + "\",\"linked_at\":\"2026-03-16T12:34:56.123456+00:00\",";
        assertThat(answer).isEqualTo("{\"ok\":true,\"links\":["
                + "{\"platform\":\"discord\",\"platform_user_id\":\"1\"," + linkTail + "\"method\":\"d\"},"
                + "{\"platform\":\"telegram\",\"platform_user_id\":\"9\"," + linkTail + "\"method\":\"t\"}]}");
        AstridUser lonely = store.createUser(Optional.empty());
        assertThat(call(admin::identityListLinks, "{\"astrid_user_id\":\"" + lonely.id() + "\"}"))
                .isEqualTo("{\"ok\":true,\"links\":[]}");
    }

    @Test
    void createUserTakesAMissingOrNullNameAsNone() {
        for (String request : new String[] {"{}", "{\"display_name\":null}"}) {
            String id = parse(call(admin::identityCreateUser, request)).get("user_id").getAsString();
            assertThat(store.user(java.util.UUID.fromString(id))).map(AstridUser::displayName).contains(Optional.empty());
        }
    }

    @Test
    void unknownFieldsAreIgnoredHoweverBig() {
        String answer = call(admin::identityCreateUser,
                "{\"display_name\":\"A\",\"padding\":\"" + "x".repeat(5_000_000) + "\",\"nested\":{\"a\":[1,2]}}");

        assertThat(parse(answer).get("ok").getAsBoolean()).isTrue();
    }

    // ---- failures answered in the JSON -------------------------------------------------------

    @Test
    void linkingAnUnknownUserIsAStorageError() {
        assertThat(call(admin::identityLink, linkRequest("discord", "1", GHOST, "oauth")))
                .isEqualTo("{\"ok\":false,\"error\":\"storage error: user not found: " + GHOST + "\"}");
    }

    @Test
    void listingAnUnknownUserIsAStorageError() {
        assertThat(call(admin::identityListLinks, "{\"astrid_user_id\":\"" + GHOST + "\"}"))
                .isEqualTo("{\"ok\":false,\"error\":\"storage error: user not found: " + GHOST + "\"}");
    }

    @Test
    void aMalformedUserIdIsReportedWithoutEchoingItWhole() {
        String huge = "z".repeat(1_000_000);

        assertThat(call(admin::identityLink, linkRequest("discord", "1", "not-a-uuid", "oauth")))
                .isEqualTo("{\"ok\":false,\"error\":\"invalid UUID: expected a UUID such as "
                        + "67e55044-10b1-426f-9247-bb680e5fe0c8, got \\\"not-a-uuid\\\"\"}");
        String error = parse(call(admin::identityListLinks, "{\"astrid_user_id\":\"" + huge + "\"}")).get("error").getAsString();
        assertThat(error).startsWith("invalid UUID: ").endsWith("z...\"").hasSizeLessThan(200);
    }

    @Test
    void ruleBreakingNamesAreStorageErrors() {
        AstridUser user = store.createUser(Optional.empty());

        assertThat(call(admin::identityLink, linkRequest(" ", "1", user.id().toString(), "m")))
                .isEqualTo("{\"ok\":false,\"error\":\"storage error: platform must not be blank\"}");
        assertThat(call(admin::identityLink, linkRequest("p", "a/b", user.id().toString(), "m")))
                .isEqualTo("{\"ok\":false,\"error\":\"storage error: platform_user_id must not contain '/' or NUL\"}");
        assertThat(call(admin::identityLink, linkRequest("p", "1", user.id().toString(), "")))
                .isEqualTo("{\"ok\":false,\"error\":\"storage error: method must not be blank\"}");
        assertThat(call(admin::identityUnlink, "{\"platform\":\"p\\u0000\",\"platform_user_id\":\"1\"}"))
                .isEqualTo("{\"ok\":false,\"error\":\"storage error: platform must not contain '/' or NUL\"}");
        assertThat(call(admin::identityResolve, "{\"platform\":\"\",\"platform_user_id\":\"1\"}"))
                .isEqualTo("{\"found\":false,\"error\":\"storage error: platform must not be blank\"}");
        assertThat(call(admin::identityCreateUser, "{\"display_name\":\"a/b\"}"))
                .isEqualTo("{\"ok\":false,\"error\":\"storage error: display_name must not contain '/' or NUL\"}");
    }

    @Test
    void hugeStringsAreRefusedWithAShortMessage() {
        String huge = "h".repeat(2_000_000);

        assertThat(call(admin::identityResolve, "{\"platform\":\"" + huge + "\",\"platform_user_id\":\"1\"}"))
                .isEqualTo("{\"found\":false,\"error\":\"storage error: platform is longer than 512 bytes\"}");
        assertThat(call(admin::identityCreateUser, "{\"display_name\":\"" + huge + "\"}"))
                .isEqualTo("{\"ok\":false,\"error\":\"storage error: display_name is longer than 512 bytes\"}");
    }

    @Test
    void aClosedStoreIsAStorageErrorNotATrap() {
        store.close();

        assertThat(call(admin::identityResolve, "{\"platform\":\"cli\",\"platform_user_id\":\"local\"}"))
                .isEqualTo("{\"found\":false,\"error\":\"storage error: identity store is closed\"}");
        assertThat(call(admin::identityCreateUser, "{}"))
                .isEqualTo("{\"ok\":false,\"error\":\"storage error: identity store is closed\"}");
    }

    // ---- failures that end the call ----------------------------------------------------------

    @Test
    void callsDuringInstallOrUpgradeTrap() {
        adminCapsule.setInvocation(new Invocation("astrid_upgrade", Invocation.Caller.NONE));

        assertThatThrownBy(() -> admin.identityCreateUser(bytes("{}")))
                .isInstanceOf(HostException.class)
                .hasMessage("the identity store is not available during install or upgrade");

        adminCapsule.setInvocation(new Invocation("run", Invocation.Caller.NONE));
        assertThat(parse(call(admin::identityCreateUser, "{}")).get("ok").getAsBoolean()).isTrue();
    }

    @Test
    void aMissingRequestTraps() {
        assertThatThrownBy(() -> admin.identityResolve(null)).isInstanceOf(HostException.class)
                .hasMessage("invalid request: no request");
    }

    @Test
    void parseErrorsTrapEvenWithoutAnyCapability() {
        IdentityFunctions nobody = GuestIdentity.bind(store, capsule("nobody"));

        assertThatThrownBy(() -> nobody.identityLink(bytes("{\"platform\":\"p\"}")))
                .isInstanceOf(HostException.class).hasMessage("invalid request: missing field \"platform_user_id\"");
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static String linkRequest(String platform, String platformUserId, String user, String method) {
        JsonObject o = new JsonObject();
        o.addProperty("platform", platform);
        o.addProperty("platform_user_id", platformUserId);
        o.addProperty("astrid_user_id", user);
        o.addProperty("method", method);
        return o.toString();
    }

    private static String call(java.util.function.Function<byte[], byte[]> fn, String request) {
        return new String(fn.apply(bytes(request)), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject parse(String json) {
        return JsonParser.parseString(json).getAsJsonObject();
    }
}
