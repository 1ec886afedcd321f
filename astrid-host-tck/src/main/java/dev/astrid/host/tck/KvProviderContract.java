package dev.astrid.host.tck;

import static dev.astrid.host.tck.KvAssert.assertRefused;
import static dev.astrid.host.tck.KvAssert.assertThatKv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.astrid.host.spi.ConfigSource;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.KvFunctions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every KV provider must do (docs/families/kv.md): raw values in and out, one namespace per
 * capsule's {@link dev.astrid.host.spi.CapsuleContext#stateNamespace() state namespace} (never its
 * display id), keys of 1 to {@value PayloadLimits#MAX_KEY} bytes of UTF-8 without NUL, values up to
 * {@link PayloadLimits#MAX_GUEST_PAYLOAD} bytes, a listing sorted bytewise (unsigned bytes of the
 * UTF-8, not Java's UTF-16 order), counted prefix clears, refusals of bad input before anything is
 * written, the per-capsule quota of settings {@code kv.max-keys} and {@code kv.max-bytes} (bytes of
 * keys plus values), a key listing bounded by {@link PayloadLimits#MAX_GUEST_PAYLOAD} bytes of JSON,
 * use from several capsules at once, and registration for {@link java.util.ServiceLoader}.
 *
 * <p>Extend it and implement {@link #createProvider()}; a fresh provider serves each test and is
 * closed after it. Every refusal is a {@link dev.astrid.host.spi.HostException} whose message starts
 * with {@code <function> failed: } (the host puts {@code astrid_} in front).
 */
public abstract class KvProviderContract extends ProviderContract<KvFunctions> {
    /** How long the concurrency test waits for its threads: a hang guard, not a speed requirement. */
    private static final long PATIENCE_SECONDS = 120;

    private KvFunctions kv;

    @Override
    protected final Family family() {
        return Family.KV;
    }

    @BeforeEach
    void bindKv() {
        kv = bind(host.capsule("alpha").build());
    }

    @AfterEach
    void closeKvProvider() {
        provider.close();
    }

    private static byte[] bytes(int length, int seed) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (i * 31 + seed);
        }
        return out;
    }

    /** The provider is found as a host finds it. */
    @Test
    void isRegisteredForServiceLoader() {
        assertRegisteredAsService();
    }

    /** {@code astrid_kv_get}. */
    @Nested
    class Get {
        @Test
        void answersTheStoredBytesUnchanged() {
            byte[] all = new byte[256];
            for (int i = 0; i < all.length; i++) {
                all[i] = (byte) i;
            }
            kv.kvSet(b("bin"), all);
            kv.kvSet(b("text"), b("{\"n\":1}"));
            assertThatKv(kv).hasValue("bin", all).hasValue("text", "{\"n\":1}");
        }

        @Test
        void aMissingKeyReadsAsEmpty() {
            assertThatKv(kv).hasNoValue("never-set");
        }

        @Test
        void aStoredEmptyValueReadsAsEmpty() {
            kv.kvSet(b("empty"), new byte[0]);
            assertThatKv(kv).hasNoValue("empty");
        }

        @Test
        void unicodeKeysAreKeptApartByTheirBytes() {
            // NFC and NFD spellings of é are different keys.
            kv.kvSet(b("\u00e9"), b("nfc"));
            kv.kvSet(b("e\u0301"), b("nfd"));
            kv.kvSet(b("\ud83d\ude00"), b("emoji"));
            assertThatKv(kv).hasValue("\u00e9", "nfc").hasValue("e\u0301", "nfd").hasValue("\ud83d\ude00", "emoji");
        }

        @Test
        void badKeysAreRefusedWithTheirReason() {
            assertRefused("kv_get", () -> kv.kvGet(b(""))).hasMessageContaining("key must not be empty");
            assertRefused("kv_get", () -> kv.kvGet(new byte[] {'a', 0})).hasMessageContaining("must not contain NUL");
            assertRefused("kv_get", () -> kv.kvGet(new byte[] {(byte) 0xc3})).hasMessageContaining("not valid UTF-8");
            assertRefused("kv_get", () -> kv.kvGet(new byte[PayloadLimits.MAX_KEY + 1]))
                    .hasMessageContaining(Integer.toString(PayloadLimits.MAX_KEY));
        }
    }

    /** {@code astrid_kv_set}. */
    @Nested
    class Set {
        @Test
        void replacesAnEarlierValue() {
            kv.kvSet(b("k"), b("one"));
            kv.kvSet(b("k"), b("two"));
            assertThatKv(kv).hasValue("k", "two").listsKeys("k");
        }

        @Test
        void aKeyOfExactlyTheLimitIsStoredAndOneByteMoreIsRefused() {
            String atLimit = "k".repeat(PayloadLimits.MAX_KEY);
            kv.kvSet(b(atLimit), b("v"));
            assertThatKv(kv).hasValue(atLimit, "v").listsKeys(atLimit);
            assertRefused("kv_set", () -> kv.kvSet(b(atLimit + "k"), b("v")))
                    .hasMessageContaining("key").hasMessageContaining(Integer.toString(PayloadLimits.MAX_KEY));
            // Counted in bytes, not characters: 2049 two-byte characters are 4098 bytes.
            assertRefused("kv_set", () -> kv.kvSet(b("\u00e9".repeat(PayloadLimits.MAX_KEY / 2 + 1)), b("v")))
                    .hasMessageContaining(Integer.toString(PayloadLimits.MAX_KEY));
            assertThatKv(kv).listsKeys(atLimit);
        }

        @Test
        void aValueOfExactlyTheLimitIsStoredAndOneByteMoreIsRefused() {
            byte[] atLimit = bytes(PayloadLimits.MAX_GUEST_PAYLOAD, 7);
            kv.kvSet(b("big"), atLimit);
            assertThatKv(kv).hasValue("big", atLimit);
            assertRefused("kv_set", () -> kv.kvSet(b("big"), bytes(PayloadLimits.MAX_GUEST_PAYLOAD + 1, 9)))
                    .hasMessageContaining("value").hasMessageContaining(Integer.toString(PayloadLimits.MAX_GUEST_PAYLOAD));
            assertRefused("kv_set", () -> kv.kvSet(b("other"), new byte[PayloadLimits.MAX_GUEST_PAYLOAD + 1]))
                    .hasMessageContaining(Integer.toString(PayloadLimits.MAX_GUEST_PAYLOAD));
            assertThatKv(kv).as("the refused writes left the old value").hasValue("big", atLimit).listsKeys("big");
        }

        @Test
        void badKeysAreRefusedBeforeAnythingIsWritten() {
            assertRefused("kv_set", () -> kv.kvSet(b(""), b("v"))).hasMessageContaining("invalid key: key must not be empty");
            assertRefused("kv_set", () -> kv.kvSet(new byte[] {'a', 0, 'b'}, b("v")))
                    .hasMessageContaining("invalid key").hasMessageContaining("must not contain NUL");
            assertRefused("kv_set", () -> kv.kvSet(new byte[] {(byte) 0xff, (byte) 0xfe}, b("v")))
                    .hasMessageContaining("invalid key").hasMessageContaining("not valid UTF-8");
            // A lone surrogate encoded as UTF-8 (CESU) is not UTF-8 either.
            assertRefused("kv_set", () -> kv.kvSet(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, b("v")))
                    .hasMessageContaining("not valid UTF-8");
            assertThatKv(kv).listsKeys();
        }
    }

    /** {@code astrid_kv_delete}. */
    @Nested
    class Delete {
        @Test
        void removesTheKeyAndIsIdempotent() {
            kv.kvSet(b("k"), b("one"));
            kv.kvDelete(b("k"));
            kv.kvDelete(b("k"));
            kv.kvDelete(b("never-set"));
            assertThatKv(kv).hasNoValue("k").listsKeys();
        }

        @Test
        void aKeyOfExactlyTheLimitCanBeDeletedAndOneByteMoreIsRefused() {
            String atLimit = "d".repeat(PayloadLimits.MAX_KEY);
            kv.kvSet(b(atLimit), b("v"));
            assertRefused("kv_delete", () -> kv.kvDelete(b(atLimit + "d")))
                    .hasMessageContaining(Integer.toString(PayloadLimits.MAX_KEY));
            kv.kvDelete(b(atLimit));
            assertThatKv(kv).listsKeys();
        }

        @Test
        void badKeysAreRefusedWithTheirReason() {
            kv.kvSet(b("a"), b("v"));
            assertRefused("kv_delete", () -> kv.kvDelete(b(""))).hasMessageContaining("key must not be empty");
            assertRefused("kv_delete", () -> kv.kvDelete(new byte[] {'a', 0})).hasMessageContaining("must not contain NUL");
            assertRefused("kv_delete", () -> kv.kvDelete(new byte[] {'a', (byte) 0x80})).hasMessageContaining("not valid UTF-8");
            assertThatKv(kv).hasValue("a", "v");
        }
    }

    /** {@code astrid_kv_list_keys}. */
    @Nested
    class ListKeys {
        @Test
        void isSortedBytewiseAndFiltersByPrefix() {
            for (String k : new String[] {"b", "a/2", "a/10", "a/1", "B", "\u00e9", "ab"}) {
                kv.kvSet(b(k), b("v"));
            }
            assertThatKv(kv).listsKeys("B", "a/1", "a/10", "a/2", "ab", "b", "\u00e9")
                    .listsKeysWithPrefix("a/", "a/1", "a/10", "a/2")
                    .listsKeysWithPrefix("zzz");
        }

        @Test
        void theOrderIsThatOfUnsignedUtf8BytesNotOfJavaStrings() {
            // UTF-16 puts U+10000 (a surrogate pair, D800 DC00) before U+E000 and U+FFFF; UTF-8
            // bytes (EE.., EF.., F0..) put it last. Latin "é" (C3 A9) comes after "z" (7A) in both.
            String[] keys = {"\ud800\udc00", "\uffff", "z", "\ue000", "\u00e9", "\ud83d\ude00", "\u07ff", "\u0800"};
            for (String k : keys) {
                kv.kvSet(b(k), b("v"));
            }
            String[] bytewise = keys.clone();
            Arrays.sort(bytewise, (x, y) -> Arrays.compareUnsigned(b(x), b(y)));
            assertThat(bytewise).as("the expected order differs from Java's").isNotEqualTo(sortedAsJavaStrings(keys));
            assertThatKv(kv).listsKeys(bytewise)
                    .listsKeysWithPrefix("\ud800\udc00", "\ud800\udc00")
                    .listsKeysWithPrefix("\uffff", "\uffff");
        }

        @Test
        void aPrefixOfExactlyTheKeyLimitListsTheKeyItSpells() {
            String atLimit = "p".repeat(PayloadLimits.MAX_KEY);
            kv.kvSet(b(atLimit), b("v"));
            kv.kvSet(b("p"), b("v"));
            assertThatKv(kv).listsKeysWithPrefix(atLimit, atLimit).listsKeysWithPrefix("p", "p", atLimit);
        }

        @Test
        void keysWithJsonSpecialCharactersComeBackAsTheSameStrings() {
            String[] keys = {"quote\"", "back\\slash", "tab\t", "line\u2028sep", "<html>&"};
            for (String k : keys) {
                kv.kvSet(b(k), b("v"));
            }
            String[] sorted = keys.clone();
            Arrays.sort(sorted, (x, y) -> Arrays.compareUnsigned(b(x), b(y)));
            assertThatKv(kv).listsKeys(sorted);
        }

        @Test
        void badPrefixesAreRefusedWithTheirReason() {
            assertRefused("kv_list_keys", () -> kv.kvListKeys(new byte[] {(byte) 0xc3}))
                    .hasMessageContaining("invalid prefix").hasMessageContaining("not valid UTF-8");
            assertRefused("kv_list_keys", () -> kv.kvListKeys(new byte[] {'x', 0}))
                    .hasMessageContaining("invalid prefix").hasMessageContaining("must not contain NUL");
        }

        @Test
        void aListingOverTheResultBoundEndsInAClearError() {
            String pad = "k".repeat(3996);
            int n = PayloadLimits.MAX_GUEST_PAYLOAD / 4000 + 80;
            for (int i = 0; i < n; i++) {
                kv.kvSet(b(String.format("%04d", i) + pad), b("v"));
            }
            assertRefused("kv_list_keys", () -> kv.kvListKeys(b("")))
                    .hasMessageContaining(Integer.toString(PayloadLimits.MAX_GUEST_PAYLOAD));
            assertThatKv(kv).listsKeysWithPrefix("0001", "0001" + pad);
        }
    }

    /** {@code astrid_kv_clear_prefix}. */
    @Nested
    class ClearPrefix {
        @Test
        void countsWhatItDeleted() {
            kv.kvSet(b("tmp.1"), b("x"));
            kv.kvSet(b("tmp.2"), b("x"));
            kv.kvSet(b("keep"), b("x"));
            assertThatKv(kv).clearsPrefix("tmp.", 2).clearsPrefix("tmp.", 0)
                    .hasValue("keep", "x").hasNoValue("tmp.1").listsKeys("keep");
        }

        @Test
        void aPrefixEndingInTheLastBmpCharacterClearsOnlyItsOwnKeys() {
            // The end of the range of a prefix ending in U+FFFF (EF BF BF) cannot be found by adding one to its last byte.
            kv.kvSet(b("a\uffff"), b("x"));
            kv.kvSet(b("a\uffffz"), b("x"));
            kv.kvSet(b("b"), b("x"));
            kv.kvSet(b("a\ud800\udc00"), b("x"));
            assertThatKv(kv).clearsPrefix("a\uffff", 2).listsKeys("a\ud800\udc00", "b");
        }

        @Test
        void badPrefixesAreRefusedBeforeAnythingIsDeleted() {
            kv.kvSet(b("x"), b("v"));
            assertRefused("kv_clear_prefix", () -> kv.kvClearPrefix(new byte[] {'x', 0}))
                    .hasMessageContaining("invalid prefix").hasMessageContaining("must not contain NUL");
            assertRefused("kv_clear_prefix", () -> kv.kvClearPrefix(new byte[] {(byte) 0xf0, (byte) 0x90}))
                    .hasMessageContaining("invalid prefix").hasMessageContaining("not valid UTF-8");
            assertThatKv(kv).listsKeys("x");
        }
    }

    /** Whose data a binding sees. */
    @Nested
    class Namespaces {
        @Test
        void capsulesAreIsolatedAndAnEmptyPrefixClearsOnlyTheCaller() {
            KvFunctions beta = bind(host.capsule("beta").build());
            kv.kvSet(b("shared-name"), b("alpha's"));
            beta.kvSet(b("shared-name"), b("beta's"));
            assertThatKv(kv, "alpha").hasValue("shared-name", "alpha's");
            assertThatKv(beta, "beta").hasValue("shared-name", "beta's");
            assertThatKv(kv, "alpha").clearsPrefix("", 1).hasNoValue("shared-name");
            assertThatKv(beta, "beta").hasValue("shared-name", "beta's").listsKeys("shared-name");
        }

        @Test
        void aRebindOfTheSameCapsuleSeesItsData() {
            kv.kvSet(b("persisted"), b("yes"));
            assertThatKv(bind(host.capsule("alpha").build()), "alpha again").hasValue("persisted", "yes");
        }

        @Test
        void stateBelongsToTheStateNamespaceNotToTheDisplayId() {
            kv.kvSet(b("token"), b("alpha's"));
            KvFunctions impostor = bind(host.capsule("alpha").stateNamespace("module:" + "ab".repeat(32)).build());
            assertThatKv(impostor, "a module named like the capsule").hasNoValue("token").listsKeys().clearsPrefix("", 0);
            impostor.kvSet(b("token"), b("module's"));
            assertThatKv(kv, "alpha").hasValue("token", "alpha's");
        }
    }

    /** Settings {@code kv.max-keys} and {@code kv.max-bytes}. */
    @Nested
    class Quota {
        @Test
        void aSetOverTheQuotaIsRefusedAndNothingIsWritten() {
            provider.close();
            provider = createProvider();
            KvFunctions q = bind(host.capsule("quota")
                    .settings(ProviderSettings.of(Map.of("kv.max-keys", "2", "kv.max-bytes", "64"))).build());
            q.kvSet(b("a"), b("1"));
            q.kvSet(b("b"), b("2"));
            assertRefused("kv_set", () -> q.kvSet(b("c"), b("3"))).hasMessageContaining("kv.max-keys");
            q.kvSet(b("a"), b("replaced"));
            assertThatKv(q).listsKeys("a", "b");
            assertRefused("kv_set", () -> q.kvSet(b("b"), new byte[64])).hasMessageContaining("kv.max-bytes");
            assertThatKv(q).as("the refused write left the old value").hasValue("b", "2");
            q.kvDelete(b("b"));
            q.kvSet(b("c"), new byte[40]);
            assertThatKv(q).hasValue("c", new byte[40]);
            KvFunctions other = bind(host.capsule("other").settings(ProviderSettings.of(Map.of("kv.max-keys", "2"))).build());
            other.kvSet(b("x"), b("1"));
            other.kvSet(b("y"), b("1"));
            assertThatKv(other, "other").as("the quota is per capsule").listsKeys("x", "y");
        }

        @Test
        void clearingFreesTheQuota() {
            provider.close();
            provider = createProvider();
            KvFunctions q = bind(host.capsule("quota").settings(ProviderSettings.of(Map.of("kv.max-keys", "2"))).build());
            q.kvSet(b("t.1"), b("1"));
            q.kvSet(b("t.2"), b("2"));
            assertRefused("kv_set", () -> q.kvSet(b("t.3"), b("3"))).hasMessageContaining("kv.max-keys");
            assertThatKv(q).clearsPrefix("t.", 2);
            q.kvSet(b("t.3"), b("3"));
            q.kvSet(b("t.4"), b("4"));
            assertThatKv(q).listsKeys("t.3", "t.4");
        }
    }

    /** The binding as the host's {@link ConfigSource} for plain {@code [env]} keys stored in KV. */
    @Nested
    class ConfigSourceHook {
        @Test
        void answersTheStoredTextOfAKeyAndNothingForAnAbsentOne() {
            assumeThat(kv).as("the binding is a ConfigSource").isInstanceOf(ConfigSource.class);
            ConfigSource source = (ConfigSource) kv;
            assertThat(source.storedValue("api_url")).isEmpty();
            kv.kvSet(b("api_url"), b("https://example.org/\u00e9"));
            assertThat(source.storedValue("api_url")).contains("https://example.org/\u00e9");
            assertThat(source.secretSet("api_url")).as("KV holds no secrets").isEmpty();
            assertThat(((ConfigSource) bind(host.capsule("beta").build())).storedValue("api_url"))
                    .as("another capsule's value").isEmpty();
        }
    }

    /** Several capsules (each on its own thread, as the host runs them) using one provider at once. */
    @Nested
    class Concurrency {
        @Test
        void capsulesWritingAtOnceLoseNothingAndStayApart() throws Exception {
            int capsules = 4;
            int writes = 150;
            List<KvFunctions> bindings = new ArrayList<>();
            for (int c = 0; c < capsules; c++) {
                bindings.add(bind(host.capsule("writer-" + c).build()));
            }
            // Two more bindings of one capsule, as two calls of one capsule may run at once.
            KvFunctions sharedA = bind(host.capsule("shared").build());
            KvFunctions sharedB = bind(host.capsule("shared").build());
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(capsules + 2);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < capsules; c++) {
                    int id = c;
                    KvFunctions mine = bindings.get(c);
                    done.add(pool.submit(() -> writeAll(start, writes, i -> {
                        mine.kvSet(b(String.format("key-%03d", i)), b("writer-" + id + ":" + i));
                        mine.kvSet(b("counter"), b(Integer.toString(i)));
                        if (i % 10 == 0) {
                            mine.kvListKeys(b("key-"));
                        }
                    })));
                }
                done.add(pool.submit(() -> writeAll(start, writes, i -> sharedA.kvSet(b(String.format("a-%03d", i)), b("a")))));
                done.add(pool.submit(() -> writeAll(start, writes, i -> sharedB.kvSet(b(String.format("b-%03d", i)), b("b")))));
                start.countDown();
                for (Future<?> f : done) {
                    f.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            String[] expectedKeys = new String[writes + 1];
            for (int i = 0; i < writes; i++) {
                expectedKeys[i] = String.format("key-%03d", i);
            }
            expectedKeys[writes] = "counter";
            Arrays.sort(expectedKeys, (x, y) -> Arrays.compareUnsigned(b(x), b(y)));
            for (int c = 0; c < capsules; c++) {
                KvAssert writer = assertThatKv(bindings.get(c), "writer-" + c).listsKeys(expectedKeys)
                        .hasValue("counter", Integer.toString(writes - 1));
                for (int i = 0; i < writes; i++) {
                    writer.hasValue(String.format("key-%03d", i), "writer-" + c + ":" + i);
                }
            }
            assertThat(s(sharedA.kvListKeys(b("")))).isEqualTo(s(sharedB.kvListKeys(b(""))));
            assertThatKv(sharedA, "shared").clearsPrefix("a-", writes).clearsPrefix("b-", writes).listsKeys();
        }

        private Void writeAll(CountDownLatch start, int writes, Consumer<Integer> write) throws InterruptedException {
            start.await();
            for (int i = 0; i < writes; i++) {
                write.accept(i);
            }
            return null;
        }
    }

    private static String[] sortedAsJavaStrings(String[] keys) {
        String[] copy = keys.clone();
        Arrays.sort(copy);
        return copy;
    }
}
