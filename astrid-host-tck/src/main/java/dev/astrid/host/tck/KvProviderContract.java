package dev.astrid.host.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.KvFunctions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every KV provider must do: raw values in and out, one namespace per capsule's
 * {@link dev.astrid.host.spi.CapsuleContext#stateNamespace() state namespace} (never its display
 * id), bytewise sorted listing, counted prefix clears, clear refusals of bad keys before anything
 * is written, the per-capsule quota of settings {@code kv.max-keys} and {@code kv.max-bytes}
 * (bytes of keys plus values), and a key listing bounded by
 * {@link PayloadLimits#MAX_GUEST_PAYLOAD} bytes of JSON. Extend it and implement
 * {@link #createProvider()}.
 */
public abstract class KvProviderContract extends ProviderContract<KvFunctions> {
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

    @Test
    void valuesRoundTripByteForByte() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        kv.kvSet(b("bin"), all);
        assertThat(kv.kvGet(b("bin"))).isEqualTo(all);
        kv.kvSet(b("text"), b("{\"n\":1}"));
        assertThat(s(kv.kvGet(b("text")))).isEqualTo("{\"n\":1}");
    }

    @Test
    void aMissingKeyReadsAsEmpty() {
        assertThat(kv.kvGet(b("never-set"))).isEmpty();
    }

    @Test
    void setReplacesAndDeleteIsIdempotent() {
        kv.kvSet(b("k"), b("one"));
        kv.kvSet(b("k"), b("two"));
        assertThat(s(kv.kvGet(b("k")))).isEqualTo("two");
        kv.kvDelete(b("k"));
        kv.kvDelete(b("k"));
        assertThat(kv.kvGet(b("k"))).isEmpty();
    }

    @Test
    void listKeysIsSortedBytewiseAndFiltersByPrefix() {
        for (String k : new String[] {"b", "a/2", "a/10", "a/1", "B", "é", "ab"}) {
            kv.kvSet(b(k), b("v"));
        }
        assertThat(s(kv.kvListKeys(b("")))).isEqualTo("[\"B\",\"a/1\",\"a/10\",\"a/2\",\"ab\",\"b\",\"é\"]");
        assertThat(s(kv.kvListKeys(b("a/")))).isEqualTo("[\"a/1\",\"a/10\",\"a/2\"]");
        assertThat(s(kv.kvListKeys(b("zzz")))).isEqualTo("[]");
    }

    @Test
    void clearPrefixCountsWhatItDeleted() {
        kv.kvSet(b("tmp.1"), b("x"));
        kv.kvSet(b("tmp.2"), b("x"));
        kv.kvSet(b("keep"), b("x"));
        assertThat(s(kv.kvClearPrefix(b("tmp.")))).isEqualTo("2");
        assertThat(s(kv.kvClearPrefix(b("tmp.")))).isEqualTo("0");
        assertThat(s(kv.kvGet(b("keep")))).isEqualTo("x");
        assertThat(kv.kvGet(b("tmp.1"))).isEmpty();
    }

    @Test
    void namespacesAreIsolatedAndAnEmptyPrefixClearsOnlyTheCaller() {
        KvFunctions beta = bind(host.capsule("beta").build());
        kv.kvSet(b("shared-name"), b("alpha's"));
        beta.kvSet(b("shared-name"), b("beta's"));
        assertThat(s(kv.kvGet(b("shared-name")))).isEqualTo("alpha's");
        assertThat(s(beta.kvGet(b("shared-name")))).isEqualTo("beta's");
        assertThat(s(kv.kvClearPrefix(b("")))).isEqualTo("1");
        assertThat(kv.kvGet(b("shared-name"))).isEmpty();
        assertThat(s(beta.kvGet(b("shared-name")))).isEqualTo("beta's");
        assertThat(s(beta.kvListKeys(b("")))).isEqualTo("[\"shared-name\"]");
    }

    @Test
    void badKeysAreRefusedBeforeAnythingIsWritten() {
        assertHostError(() -> kv.kvSet(b(""), b("v"))).hasMessageContaining("key must not be empty");
        assertHostError(() -> kv.kvSet(new byte[] {'a', 0, 'b'}, b("v"))).hasMessageContaining("NUL");
        assertHostError(() -> kv.kvSet(new byte[] {(byte) 0xff, (byte) 0xfe}, b("v"))).hasMessageContaining("UTF-8");
        assertHostError(() -> kv.kvGet(b(""))).hasMessageContaining("key must not be empty");
        assertHostError(() -> kv.kvListKeys(new byte[] {(byte) 0xc3})).hasMessageContaining("UTF-8");
        assertHostError(() -> kv.kvClearPrefix(new byte[] {'x', 0})).hasMessageContaining("NUL");
        assertThat(s(kv.kvListKeys(b("")))).isEqualTo("[]");
    }

    @Test
    void aRebindOfTheSameCapsuleSeesItsData() {
        kv.kvSet(b("persisted"), b("yes"));
        KvFunctions again = bind(host.capsule("alpha").build());
        assertThat(s(again.kvGet(b("persisted")))).isEqualTo("yes");
    }

    @Test
    void stateBelongsToTheStateNamespaceNotToTheDisplayId() {
        kv.kvSet(b("token"), b("alpha's"));
        KvFunctions impostor = bind(host.capsule("alpha").stateNamespace("module:" + "ab".repeat(32)).build());
        assertThat(impostor.kvGet(b("token"))).as("a module named like the capsule").isEmpty();
        assertThat(s(impostor.kvListKeys(b("")))).isEqualTo("[]");
        assertThat(s(impostor.kvClearPrefix(b("")))).isEqualTo("0");
        impostor.kvSet(b("token"), b("module's"));
        assertThat(s(kv.kvGet(b("token")))).isEqualTo("alpha's");
    }

    @Test
    void aSetOverTheQuotaIsRefusedAndNothingIsWritten() {
        provider.close();
        provider = createProvider();
        KvFunctions q = bind(host.capsule("quota").settings(ProviderSettings.of(Map.of("kv.max-keys", "2", "kv.max-bytes", "64")))
                .build());
        q.kvSet(b("a"), b("1"));
        q.kvSet(b("b"), b("2"));
        assertHostError(() -> q.kvSet(b("c"), b("3"))).hasMessageStartingWith("kv_set failed: ").hasMessageContaining("kv.max-keys");
        q.kvSet(b("a"), b("replaced"));
        assertThat(s(q.kvListKeys(b("")))).isEqualTo("[\"a\",\"b\"]");
        assertHostError(() -> q.kvSet(b("b"), new byte[64])).hasMessageStartingWith("kv_set failed: ")
                .hasMessageContaining("kv.max-bytes");
        assertThat(s(q.kvGet(b("b")))).as("the refused write left the old value").isEqualTo("2");
        q.kvDelete(b("b"));
        q.kvSet(b("c"), new byte[40]);
        assertThat(q.kvGet(b("c"))).hasSize(40);
        KvFunctions other = bind(host.capsule("other").settings(ProviderSettings.of(Map.of("kv.max-keys", "2"))).build());
        other.kvSet(b("x"), b("1"));
        other.kvSet(b("y"), b("1"));
        assertThat(s(other.kvListKeys(b("")))).as("the quota is per capsule").isEqualTo("[\"x\",\"y\"]");
    }

    @Test
    void aListingOverTheResultBoundEndsInAClearError() {
        String pad = "k".repeat(3996);
        int n = PayloadLimits.MAX_GUEST_PAYLOAD / 4000 + 80;
        for (int i = 0; i < n; i++) {
            kv.kvSet(b(String.format("%04d", i) + pad), b("v"));
        }
        assertHostError(() -> kv.kvListKeys(b(""))).hasMessageStartingWith("kv_list_keys failed: ")
                .hasMessageContaining(Integer.toString(PayloadLimits.MAX_GUEST_PAYLOAD));
        assertThat(s(kv.kvListKeys(b("0001")))).isEqualTo("[\"0001" + pad + "\"]");
    }
}
