package dev.astrid.host.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.sys.abi.AbiFunction;
import dev.astrid.sys.abi.CapabilityFunctions;
import dev.astrid.sys.abi.Family;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every provider of {@code astrid_check_capsule_capability} must do (docs/abi.md, "Capability
 * checks"): for a request {@code {"source_uuid":"<session id>","capability":"<name>"}} answer
 * {@code {"allowed":true}} only when the loaded capsule with that session id (the {@code source_id}
 * of its IPC messages) declares {@code allow_prompt_injection} and that is the capability asked
 * about; any other capability name, an unknown, malformed or unloaded session answers
 * {@code {"allowed":false}}. A request that is not that object (not strict JSON, another shape,
 * fields that are not strings) traps with {@code check_capsule_capability failed: ...}.
 *
 * <p>Extend it and implement {@link #createProvider()}.
 */
public abstract class CapabilityProviderContract extends ProviderContract<CapabilityFunctions> {
    private static final String FAILED = "check_capsule_capability failed: ";

    private TestCapsule trusted;
    private TestCapsule plain;
    private CapabilityFunctions asker;

    @Override
    protected final Family family() {
        return Family.CAPABILITY;
    }

    @BeforeEach
    void loadCapsules() {
        trusted = host.capsule("trusted").capabilities(Capabilities.builder().allowPromptInjection(true).build()).build();
        plain = host.capsule("plain").capabilities(Capabilities.builder().ipcPublish("*").ipcSubscribe("*").build()).build();
        asker = bind(host.capsule("asker").build());
    }

    @AfterEach
    void closeCapabilityProvider() {
        provider.close();
    }

    private boolean allowed(String request) {
        Object parsed = JsonTree.parse(s(asker.checkCapsuleCapability(b(request))));
        assertThat(parsed).as("answer to %s", request).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) parsed;
        assertThat(answer).as("answer to %s", request).containsOnlyKeys("allowed");
        assertThat(answer.get("allowed")).as("answer to %s", request).isInstanceOf(Boolean.class);
        return (Boolean) answer.get("allowed");
    }

    private static String request(Object uuid, String capability) {
        return "{\"source_uuid\":\"" + uuid + "\",\"capability\":\"" + capability + "\"}";
    }

    /** The provider is found as a host finds it. */
    @Test
    void isRegisteredForServiceLoader() {
        assertRegisteredAsService();
    }

    /** What {@code astrid_check_capsule_capability} answers. */
    @Nested
    class Answers {
        @Test
        void aCapsuleThatDeclaresPromptInjectionIsAllowedIt() {
            assertThat(allowed(request(trusted.sessionId(), "allow_prompt_injection"))).isTrue();
        }

        @Test
        void aCapsuleWithoutItIsNot() {
            assertThat(allowed(request(plain.sessionId(), "allow_prompt_injection"))).isFalse();
        }

        @Test
        void noOtherCapabilityIsAnswered() {
            for (String other : new String[] {"ipc_publish", "ipc_subscribe", "net", "", "ALLOW_PROMPT_INJECTION",
                    "allow_prompt_injection ", "allow_prompt_injection\u0000"}) {
                assertThat(allowed("{\"source_uuid\":\"" + plain.sessionId() + "\",\"capability\":" + JsonText.quote(other) + "}"))
                        .as("capability %s on a capsule that has ipc_publish", other).isFalse();
                assertThat(allowed("{\"source_uuid\":\"" + trusted.sessionId() + "\",\"capability\":" + JsonText.quote(other) + "}"))
                        .as("capability %s on the trusted capsule", other).isFalse();
            }
        }

        @Test
        void unknownAndMalformedSessionsAreNotAllowed() {
            assertThat(allowed(request(UUID.randomUUID(), "allow_prompt_injection"))).as("unknown").isFalse();
            for (String bad : new String[] {"", "not-a-uuid", "trusted", trusted.sessionId() + "0", "1-2-3-4-5",
                    " " + trusted.sessionId(), "urn:uuid:" + trusted.sessionId().toString().replace("-", "")}) {
                assertThat(allowed(request(bad, "allow_prompt_injection"))).as("session id '%s'", bad).isFalse();
            }
        }

        @Test
        void everyFormUpstreamParsesNamesTheSession() {
            // As Uuid::parse_str: hyphenated, simple, braced, urn:uuid:, hex digits in either case.
            String id = trusted.sessionId().toString();
            for (String form : new String[] {id, id.toUpperCase(java.util.Locale.ROOT), id.replace("-", ""), "{" + id + "}",
                    "urn:uuid:" + id}) {
                assertThat(allowed(request(form, "allow_prompt_injection"))).as("session id '%s'", form).isTrue();
            }
        }

        @Test
        void anUnloadedCapsuleIsNotAllowed() {
            trusted.unload();
            assertThat(allowed(request(trusted.sessionId(), "allow_prompt_injection"))).isFalse();
        }

        @Test
        void aCapsuleMayAskAboutItself() {
            TestCapsule self = host.capsule("self").capabilities(Capabilities.builder().allowPromptInjection(true).build()).build();
            CapabilityFunctions own = bind(self);
            assertThat(s(own.checkCapsuleCapability(b(request(self.sessionId(), "allow_prompt_injection")))))
                    .isEqualTo("{\"allowed\":true}");
        }

        @Test
        void extraFieldsAreIgnored() {
            assertThat(allowed("{\"source_uuid\":\"" + trusted.sessionId()
                    + "\",\"capability\":\"allow_prompt_injection\",\"extra\":[1,{}]}")).isTrue();
        }

        @Test
        void aRequestOfExactlyTheHostsBoundIsAnswered() {
            int limit = PayloadLimits.maxArgument(AbiFunction.CHECK_CAPSULE_CAPABILITY, 0);
            String prefix = request(plain.sessionId(), "");
            String atLimit = prefix.replace("\"capability\":\"\"", "\"capability\":\"" + "c".repeat(limit - prefix.length()) + "\"");
            assertThat(b(atLimit)).hasSize(limit);
            assertThat(allowed(atLimit)).isFalse();
        }
    }

    /** Requests {@code astrid_check_capsule_capability} refuses. */
    @Nested
    class Refusals {
        @Test
        void aRequestThatIsNotJsonTraps() {
            for (String bad : new String[] {"", "not json", "{\"source_uuid\":", "{\"a\":1} trailing"}) {
                assertHostError(() -> asker.checkCapsuleCapability(b(bad))).as("request %s", bad)
                        .hasMessageStartingWith(FAILED + "the request is not valid JSON")
                        .hasMessageNotContaining("Exception").hasMessageNotContaining("path $");
            }
        }

        @Test
        void lenientJsonIsNotJson() {
            for (String bad : new String[] {"{source_uuid:\"x\",capability:\"y\"}", "{'source_uuid':'x','capability':'y'}"}) {
                assertHostError(() -> asker.checkCapsuleCapability(b(bad))).as("request %s", bad)
                        .hasMessageStartingWith(FAILED + "the request is not valid JSON");
            }
        }

        @Test
        void bytesThatAreNotUtf8Trap() {
            byte[] bad = b("{\"source_uuid\":\"x\",\"capability\":\"allow_prompt_injection\u00e9\"}");
            bad[bad.length - 4] = (byte) 0xff;
            assertHostError(() -> asker.checkCapsuleCapability(bad)).hasMessageStartingWith(FAILED);
        }

        @Test
        void anotherShapeTrapsNamingTheExpectedOne() {
            for (String bad : new String[] {"[]", "\"x\"", "null", "{}", "{\"source_uuid\":\"x\"}", "{\"capability\":\"x\"}",
                    "{\"source_uuid\":1,\"capability\":\"allow_prompt_injection\"}",
                    "{\"source_uuid\":\"x\",\"capability\":null}", "{\"source_uuid\":[\"x\"],\"capability\":\"y\"}"}) {
                assertHostError(() -> asker.checkCapsuleCapability(b(bad))).as("request %s", bad)
                        .hasMessageStartingWith(FAILED + "the request must be ")
                        .hasMessageContaining("\"source_uuid\"").hasMessageContaining("\"capability\"");
            }
        }
    }

    /** JSON string literals for the tests. */
    private static final class JsonText {
        static String quote(String s) {
            return new com.google.gson.JsonPrimitive(s).toString();
        }
    }
}
