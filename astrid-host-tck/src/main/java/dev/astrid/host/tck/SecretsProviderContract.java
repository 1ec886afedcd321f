package dev.astrid.host.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.astrid.host.spi.ConfigSource;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.host.spi.services.SecretStore;
import dev.astrid.host.spi.services.SecretStoreException;
import dev.astrid.sys.abi.AbiFunction;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.SecretFunctions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every provider of {@code astrid_has_secret} must do (docs/families/kv.md, "Secrets"): for a
 * request {@code {"key":"<name>"}} answer {@code {"exists":true|false}}, asking the host's
 * {@link dev.astrid.host.spi.CapsuleContext#secrets() secret store} for the capsule's
 * {@link dev.astrid.host.spi.CapsuleContext#stateNamespace() state namespace} (so a module named like
 * a capsule sees none of its secrets), and never answer a value. A key is non-empty, at most
 * {@value SecretStore#MAX_KEY_BYTES} bytes of UTF-8, without {@code ':'} or control characters
 * ({@link SecretStore#invalidKey}); a request that is not that object in strict JSON, or a bad key,
 * traps with {@code has_secret failed: <reason>}, as does a store that fails. A binding that is a
 * {@link ConfigSource} answers {@link ConfigSource#secretSet} the same way for the host's
 * configuration check.
 *
 * <p>Extend it and implement {@link #createProvider()}; the store is a {@link MemorySecretStore}.
 */
public abstract class SecretsProviderContract extends ProviderContract<SecretFunctions> {
    private static final String FAILED = "has_secret failed: ";

    private MemorySecretStore store;
    private SecretFunctions secrets;

    @Override
    protected final Family family() {
        return Family.SECRETS;
    }

    @BeforeEach
    void bindSecrets() {
        store = new MemorySecretStore();
        secrets = bind(host.capsule("alpha").secrets(store).build());
    }

    @AfterEach
    void closeSecretsProvider() {
        provider.close();
    }

    private static boolean exists(SecretFunctions fns, String key) {
        String request = "{\"key\":" + new com.google.gson.JsonPrimitive(key) + "}";
        String answer = s(fns.hasSecret(b(request)));
        Object parsed = JsonTree.parse(answer);
        assertThat(parsed).as("answer to %s", request).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) parsed;
        assertThat(map).as("answer to %s: only whether it exists, never a value", request).containsOnlyKeys("exists");
        Object exists = map.get("exists");
        assertThat(exists).as("answer to %s", request).isInstanceOf(Boolean.class);
        return (Boolean) exists;
    }

    /** The provider is found as a host finds it. */
    @Test
    void isRegisteredForServiceLoader() {
        assertRegisteredAsService();
    }

    /** What {@code astrid_has_secret} answers. */
    @Nested
    class HasSecret {
        @Test
        void answersWhetherTheCapsulesSecretIsSet() {
            assertThat(exists(secrets, "api_key")).isFalse();
            store.put("capsule:alpha", "api_key", b("s3cr3t-value"));
            assertThat(exists(secrets, "api_key")).isTrue();
            assertThat(s(secrets.hasSecret(b("{\"key\":\"api_key\"}")))).doesNotContain("s3cr3t");
            store.delete("capsule:alpha", "api_key");
            assertThat(exists(secrets, "api_key")).isFalse();
        }

        @Test
        void anEmptyValueStillExists() {
            store.put("capsule:alpha", "blank", new byte[0]);
            assertThat(exists(secrets, "blank")).isTrue();
        }

        @Test
        void secretsBelongToTheStateNamespace() {
            store.put("capsule:beta", "token", b("beta's"));
            store.put("capsule:alpha", "mine", b("x"));
            assertThat(exists(secrets, "token")).as("another capsule's secret").isFalse();
            SecretFunctions impostor = bind(host.capsule("alpha").stateNamespace("module:" + "cd".repeat(32))
                    .secrets(store).build());
            assertThat(exists(impostor, "mine")).as("a module named like the capsule").isFalse();
            assertThat(exists(bind(host.capsule("beta").secrets(store).build()), "token")).isTrue();
        }

        @Test
        void unicodeKeysAreTheirOwnNames() {
            store.put("capsule:alpha", "cl\u00e9 \ud83d\udd11", b("x"));
            assertThat(exists(secrets, "cl\u00e9 \ud83d\udd11")).isTrue();
            assertThat(exists(secrets, "cle\u0301 \ud83d\udd11")).isFalse();
            assertThat(exists(bind(host.capsule("alpha").secrets(store).build()), "cl\u00e9 \ud83d\udd11")).isTrue();
        }

        @Test
        void aKeyOfExactly256BytesIsAskedAbout() {
            String atLimit = "\u00e9".repeat(SecretStore.MAX_KEY_BYTES / 2);
            store.put("capsule:alpha", atLimit, b("x"));
            assertThat(exists(secrets, atLimit)).isTrue();
        }

        @Test
        void withoutAStoreNothingExists() {
            assertThat(exists(bind(host.capsule("bare").build()), "anything")).isFalse();
        }

        @Test
        void extraFieldsAreIgnored() {
            store.put("capsule:alpha", "k", b("x"));
            assertThat(s(secrets.hasSecret(b("{\"key\":\"k\",\"value\":\"ignored\"}")))).isEqualTo("{\"exists\":true}");
        }

        @Test
        void aRequestOfExactlyTheHostsBoundIsParsed() {
            int limit = PayloadLimits.maxArgument(AbiFunction.HAS_SECRET, 0);
            String shell = "{\"key\":\"k\",\"pad\":\"\"}";
            String request = "{\"key\":\"k\",\"pad\":\"" + "p".repeat(limit - shell.length()) + "\"}";
            assertThat(b(request)).hasSize(limit);
            assertThat(s(secrets.hasSecret(b(request)))).isEqualTo("{\"exists\":false}");
        }
    }

    /** Requests and keys {@code astrid_has_secret} refuses. */
    @Nested
    class Refusals {
        @Test
        void aKeyOneByteOverTheLimitTraps() {
            String over = "\u00e9".repeat(SecretStore.MAX_KEY_BYTES / 2) + "x";
            assertHostError(() -> secrets.hasSecret(b("{\"key\":\"" + over + "\"}")))
                    .hasMessageStartingWith(FAILED).hasMessageContaining("at most " + SecretStore.MAX_KEY_BYTES + " bytes");
        }

        @Test
        void badKeysTrapWithTheirReason() {
            String[][] cases = {
                {"", "must not be empty"}, {"a:b", "must not contain ':'"}, {"a\\nb", "control characters"},
                {"tab\\there", "control characters"}, {"nul\\u0000", "control characters"},
            };
            for (String[] c : cases) {
                assertHostError(() -> secrets.hasSecret(b("{\"key\":\"" + c[0] + "\"}"))).as("key %s", c[0])
                        .hasMessageStartingWith(FAILED).hasMessageContaining(c[1]);
            }
        }

        @Test
        void aRequestThatIsNotStrictJsonTraps() {
            for (String bad : new String[] {"", "key", "{\"key\":", "{key:\"k\"}", "{'key':'k'}", "{\"key\":\"k\"} trailing"}) {
                assertHostError(() -> secrets.hasSecret(b(bad))).as("request %s", bad)
                        .hasMessageStartingWith(FAILED + "request is not valid JSON")
                        .hasMessageNotContaining("Exception").hasMessageNotContaining("path $");
            }
        }

        @Test
        void bytesThatAreNotUtf8Trap() {
            // Decoded lossily, these bytes would ask about a key with U+FFFD in it.
            store.put("capsule:alpha", "a\ufffd", b("x"));
            assertHostError(() -> secrets.hasSecret(new byte[] {'{', '"', 'k', 'e', 'y', '"', ':', '"', 'a', (byte) 0xff, '"', '}'}))
                    .hasMessageStartingWith(FAILED + "request is not valid JSON");
        }

        @Test
        void anotherShapeTrapsNamingTheExpectedOne() {
            for (String bad : new String[] {"[]", "\"k\"", "null", "{}", "{\"name\":\"k\"}", "{\"key\":1}", "{\"key\":null}",
                    "{\"key\":[\"k\"]}"}) {
                assertHostError(() -> secrets.hasSecret(b(bad))).as("request %s", bad)
                        .hasMessageStartingWith(FAILED + "request must be {\"key\":");
            }
        }

        @Test
        void aFailingStoreTrapsWithItsReason() {
            SecretStore broken = new SecretStore() {
                @Override
                public boolean has(String owner, String key) {
                    throw new SecretStoreException("the secret store is locked");
                }

                @Override
                public void put(String owner, String key, byte[] value) {
                    throw new SecretStoreException("the secret store is locked");
                }

                @Override
                public Optional<byte[]> get(String owner, String key) {
                    throw new SecretStoreException("the secret store is locked");
                }

                @Override
                public boolean delete(String owner, String key) {
                    throw new SecretStoreException("the secret store is locked");
                }
            };
            SecretFunctions fns = bind(host.capsule("locked").secrets(broken).build());
            assertHostError(() -> fns.hasSecret(b("{\"key\":\"k\"}"))).hasMessageStartingWith(FAILED)
                    .hasMessageContaining("the secret store is locked");
        }
    }

    /** The binding as the host's {@link ConfigSource} for {@code [env]} keys of type {@code secret}. */
    @Nested
    class ConfigSourceHook {
        @Test
        void answersWhetherASecretIsSetAndRefusesBadKeys() {
            assumeThat(secrets).as("the binding is a ConfigSource").isInstanceOf(ConfigSource.class);
            ConfigSource source = (ConfigSource) secrets;
            assertThat(source.secretSet("api_key")).contains(false);
            store.put("capsule:alpha", "api_key", b("v"));
            assertThat(source.secretSet("api_key")).contains(true);
            assertThat(source.storedValue("api_key")).as("a secret is never a plain configuration value").isEmpty();
            assertHostError(() -> source.secretSet("a:b")).hasMessageStartingWith(FAILED).hasMessageContaining("':'");
        }
    }
}
