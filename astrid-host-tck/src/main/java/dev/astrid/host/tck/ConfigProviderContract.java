package dev.astrid.host.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.sys.abi.ConfigFunctions;
import dev.astrid.sys.abi.Family;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every provider of {@code astrid_get_config} and {@code astrid_get_caller} must do
 * (docs/families/kv.md, "Configuration" and "Caller"; docs/abi.md):
 *
 * <ul>
 *   <li>{@code get_config(key)} answers the capsule's resolved
 *       {@link dev.astrid.host.spi.CapsuleContext#config() configuration} value as its raw UTF-8
 *       (never JSON-quoted), and empty for a key without a value; a key is matched by its exact
 *       bytes, so a key that is not valid UTF-8 matches nothing. The host resolves the configuration
 *       (command line, then {@link dev.astrid.host.spi.ConfigSource stored values}, then defaults)
 *       before the provider binds; secrets are never in it.</li>
 *   <li>{@code get_caller()} answers {@code {}} when the current call has no caller (the command line,
 *       the host), and otherwise a JSON object with exactly those of {@code user_id},
 *       {@code session_id}, {@code source_id} and {@code timestamp} (RFC 3339) that the
 *       {@link dev.astrid.host.spi.CapsuleContext#currentInvocation() current call} carries.</li>
 * </ul>
 *
 * <p>Extend it and implement {@link #createProvider()}.
 */
public abstract class ConfigProviderContract extends ProviderContract<ConfigFunctions> {

    @Override
    protected final Family family() {
        return Family.CONFIG;
    }

    @AfterEach
    void closeConfigProvider() {
        provider.close();
    }

    private ConfigFunctions configured(Map<String, String> config) {
        return bind(host.capsule("alpha").config(config).build());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(byte[] answer) {
        Object parsed = JsonTree.parse(s(answer));
        assertThat(parsed).as("get_caller must answer a JSON object, got %s", s(answer)).isInstanceOf(Map.class);
        return (Map<String, Object>) parsed;
    }

    /** The provider is found as a host finds it. */
    @Test
    void isRegisteredForServiceLoader() {
        assertRegisteredAsService();
    }

    /** {@code astrid_get_config}. */
    @Nested
    class GetConfig {
        @Test
        void answersTheRawStringNeverJsonQuoted() {
            ConfigFunctions config = configured(Map.of("greeting", "hello \"world\"", "port", "8080", "list", "[1,2]"));
            assertThat(s(config.getConfig(b("greeting")))).isEqualTo("hello \"world\"");
            assertThat(s(config.getConfig(b("port")))).isEqualTo("8080");
            assertThat(s(config.getConfig(b("list")))).isEqualTo("[1,2]");
        }

        @Test
        void aKeyWithoutAValueAnswersEmpty() {
            ConfigFunctions config = configured(Map.of("set", "v"));
            assertThat(config.getConfig(b("unset"))).isEmpty();
            assertThat(config.getConfig(b(""))).isEmpty();
            assertThat(config.getConfig(b("SET"))).as("keys are case-sensitive").isEmpty();
        }

        @Test
        void anEmptyValueAnswersEmpty() {
            assertThat(configured(Map.of("blank", "")).getConfig(b("blank"))).isEmpty();
        }

        @Test
        void unicodeKeysAndValuesArriveAsTheirUtf8() {
            ConfigFunctions config = configured(Map.of("cl\u00e9", "v\u00e4lue \ud83d\ude00", "multi", "line one\nline two"));
            assertThat(config.getConfig(b("cl\u00e9"))).isEqualTo(b("v\u00e4lue \ud83d\ude00"));
            assertThat(s(config.getConfig(b("multi")))).isEqualTo("line one\nline two");
            assertThat(config.getConfig(b("cle\u0301"))).as("another spelling is another key").isEmpty();
        }

        @Test
        void aKeyThatIsNotUtf8MatchesNothing() {
            // Decoding the key lossily would turn 0xFF into U+FFFD and read another key's value.
            ConfigFunctions config = configured(Map.of("a\ufffd", "not yours", "a", "nor this"));
            assertThat(config.getConfig(new byte[] {'a', (byte) 0xff})).isEmpty();
            assertThat(config.getConfig(new byte[] {'a', (byte) 0xed, (byte) 0xa0, (byte) 0x80})).isEmpty();
        }

        @Test
        void aKeyOfExactlyTheHostsBoundIsLookedUp() {
            String atLimit = "k".repeat(PayloadLimits.maxArgument(dev.astrid.sys.abi.AbiFunction.GET_CONFIG, 0));
            assertThat(s(configured(Map.of(atLimit, "long key")).getConfig(b(atLimit)))).isEqualTo("long key");
        }

        @Test
        void eachCapsuleSeesItsOwnConfiguration() {
            ConfigFunctions alpha = configured(Map.of("who", "alpha"));
            ConfigFunctions beta = bind(host.capsule("beta").config(Map.of("who", "beta")).build());
            assertThat(s(alpha.getConfig(b("who")))).isEqualTo("alpha");
            assertThat(s(beta.getConfig(b("who")))).isEqualTo("beta");
        }
    }

    /** {@code astrid_get_caller}. */
    @Nested
    class GetCaller {
        @Test
        void aCallWithoutACallerAnswersAnEmptyObject() {
            ConfigFunctions config = configured(Map.of());
            assertThat(object(config.getCaller())).isEmpty();
        }

        @Test
        void everyKnownFieldIsAnswered() {
            TestCapsule capsule = host.capsule("alpha").build();
            ConfigFunctions config = bind(capsule);
            UUID source = UUID.randomUUID();
            Instant at = Instant.parse("2026-03-16T12:34:56.123Z");
            capsule.setInvocation(new Invocation("tool_call", new Invocation.Caller("user-\u00e9\ud83d\ude00", "sess-1", source, at)));
            Map<String, Object> caller = object(config.getCaller());
            assertThat(caller).containsOnlyKeys("user_id", "session_id", "source_id", "timestamp");
            assertThat(caller.get("user_id")).isEqualTo("user-\u00e9\ud83d\ude00");
            assertThat(caller.get("session_id")).isEqualTo("sess-1");
            assertThat(caller.get("source_id")).isEqualTo(source.toString());
            assertThat(Rfc3339Check.parse((String) caller.get("timestamp"))).isEqualTo(at);
        }

        @Test
        void unknownFieldsAreLeftOutNotNull() {
            TestCapsule capsule = host.capsule("alpha").build();
            ConfigFunctions config = bind(capsule);
            UUID source = UUID.randomUUID();
            capsule.setInvocation(new Invocation("astrid_hook_trigger",
                    new Invocation.Caller(null, null, source, Instant.ofEpochSecond(1))));
            Map<String, Object> caller = object(config.getCaller());
            assertThat(caller).containsOnlyKeys("source_id", "timestamp");
            assertThat(Rfc3339Check.parse((String) caller.get("timestamp"))).isEqualTo(Instant.ofEpochSecond(1));
            capsule.setInvocation(new Invocation("x", new Invocation.Caller("u", null, null, null)));
            assertThat(object(config.getCaller())).isEqualTo(Map.of("user_id", "u"));
        }

        @Test
        void followsTheCurrentCall() {
            TestCapsule capsule = host.capsule("alpha").build();
            ConfigFunctions config = bind(capsule);
            capsule.setInvocation(new Invocation("a", new Invocation.Caller("first", null, null, null)));
            assertThat(object(config.getCaller())).isEqualTo(Map.of("user_id", "first"));
            capsule.setInvocation(new Invocation("b", new Invocation.Caller("second", null, null, null)));
            assertThat(object(config.getCaller())).isEqualTo(Map.of("user_id", "second"));
            capsule.setInvocation(Invocation.NONE);
            assertThat(object(config.getCaller())).isEmpty();
        }
    }

    /** RFC 3339 with a {@code Z} or numeric offset, as a timestamp may be written. */
    private static final class Rfc3339Check {
        static Instant parse(String text) {
            assertThat(text).as("timestamp %s", text)
                    .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");
            return java.time.OffsetDateTime.parse(text).toInstant();
        }
    }
}
