package dev.astrid.host.identity.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.astrid.host.identity.AstridUser;
import dev.astrid.host.identity.IdentityStore;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.tck.TestCapsule;
import dev.astrid.sys.abi.IdentityFunctions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The gate: resolve needs resolve, link/unlink/list_links need link, create_user needs admin. */
class IdentityPermissionTest {
    @TempDir
    Path dir;

    private IdentityStore store;
    private TestCapsule.Host host;
    private AstridUser user;

    @BeforeEach
    void setUp() {
        store = IdentityStore.open(dir.resolve("identity.db"));
        host = new TestCapsule.Host(dir);
        user = store.createUser(Optional.of("U"));
        store.link("known", "1", user.id(), "test");
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @ParameterizedTest(name = "[{index}] level={0} {1} allowed={2}")
    @CsvSource(delimiter = '|', value = {
        // level | function    | allowed | what a refusal says
        "none    | resolve     | false   | needs identity capability 'resolve' or higher, has none",
        "none    | link        | false   | needs identity capability 'link' or higher, has none",
        "none    | unlink      | false   | needs identity capability 'link' or higher, has none",
        "none    | list_links  | false   | needs identity capability 'link' or higher, has none",
        "none    | create_user | false   | needs identity capability 'admin', has none",
        "resolve | resolve     | true    |",
        "resolve | link        | false   | needs identity capability 'link' or higher, has 'resolve'",
        "resolve | unlink      | false   | needs identity capability 'link' or higher, has 'resolve'",
        "resolve | list_links  | false   | needs identity capability 'link' or higher, has 'resolve'",
        "resolve | create_user | false   | needs identity capability 'admin', has 'resolve'",
        "link    | resolve     | true    |",
        "link    | link        | true    |",
        "link    | unlink      | true    |",
        "link    | list_links  | true    |",
        "link    | create_user | false   | needs identity capability 'admin', has 'link'",
        "admin   | resolve     | true    |",
        "admin   | link        | true    |",
        "admin   | unlink      | true    |",
        "admin   | list_links  | true    |",
        "admin   | create_user | true    |",
    })
    void eachLevelCallsWhatItsRankAllows(String level, String function, boolean allowed, String refusal) {
        IdentityFunctions id = bind("gated", level.equals("none") ? new String[0] : new String[] {level});

        JsonObject answer = call(id, function);

        if (allowed) {
            assertThat(answer.has("error")).as("answer %s", answer).isFalse();
            assertThat(answer.has("ok") ? answer.get("ok").getAsBoolean() : answer.get("found").getAsBoolean()).isTrue();
        } else {
            String flag = function.equals("resolve") ? "found" : "ok";
            assertThat(answer.keySet()).containsExactly(flag, "error");
            assertThat(answer.get(flag).getAsBoolean()).isFalse();
            assertThat(answer.get("error").getAsString()).isEqualTo("permission denied: capsule 'gated' " + refusal);
            assertThat(store.resolve("known", "1")).as("a refused call changes nothing").contains(user);
            assertThat(store.resolve("new", "1")).isEmpty();
        }
    }

    @Test
    void theHighestDeclaredLevelCounts() {
        assertThat(IdentityLevel.granted(List.of("resolve", "admin", "link"))).isEqualTo(IdentityLevel.ADMIN);
        assertThat(IdentityLevel.granted(List.of("link", "resolve"))).isEqualTo(IdentityLevel.LINK);
        assertThat(IdentityLevel.granted(List.of())).isEqualTo(IdentityLevel.NONE);
    }

    @Test
    void unknownOrMisspelledLevelsGrantNothing() {
        assertThat(IdentityLevel.granted(List.of("Admin", " link", "write", "none", ""))).isEqualTo(IdentityLevel.NONE);
        assertThat(IdentityLevel.granted(List.of("superuser", "resolve"))).isEqualTo(IdentityLevel.RESOLVE);
    }

    @Test
    void aMalformedUserIdIsReportedBeforeTheGate() {
        IdentityFunctions nobody = bind("nobody");

        JsonObject answer = parse(nobody.identityListLinks(bytes("{\"astrid_user_id\":\"nope\"}")));

        assertThat(answer.get("error").getAsString()).startsWith("invalid UUID: ");
    }

    @Test
    void anUnknownUserIsReportedOnlyPastTheGate() {
        IdentityFunctions resolver = bind("resolver", "resolve");

        JsonObject answer = parse(resolver.identityLink(bytes("{\"platform\":\"p\",\"platform_user_id\":\"1\","
                + "\"astrid_user_id\":\"0b5f1c2e-9d3a-4e7b-8c6d-5a4f3e2d1c0b\",\"method\":\"m\"}")));

        assertThat(answer.get("error").getAsString()).startsWith("permission denied: ");
    }

    private IdentityFunctions bind(String capsuleId, String... levels) {
        return GuestIdentity.bind(store,
                host.capsule(capsuleId).capabilities(Capabilities.builder().identity(levels).build()).build());
    }

    private JsonObject call(IdentityFunctions id, String function) {
        switch (function) {
            case "resolve":
                return parse(id.identityResolve(bytes("{\"platform\":\"known\",\"platform_user_id\":\"1\"}")));
            case "link":
                return parse(id.identityLink(bytes("{\"platform\":\"new\",\"platform_user_id\":\"1\",\"astrid_user_id\":\""
                        + user.id() + "\",\"method\":\"m\"}")));
            case "unlink":
                return parse(id.identityUnlink(bytes("{\"platform\":\"known\",\"platform_user_id\":\"1\"}")));
            case "list_links":
                return parse(id.identityListLinks(bytes("{\"astrid_user_id\":\"" + user.id() + "\"}")));
            case "create_user":
                return parse(id.identityCreateUser(bytes("{\"display_name\":\"New\"}")));
            default:
                throw new IllegalArgumentException(function);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject parse(byte[] answer) {
        return JsonParser.parseString(new String(answer, StandardCharsets.UTF_8)).getAsJsonObject();
    }
}
