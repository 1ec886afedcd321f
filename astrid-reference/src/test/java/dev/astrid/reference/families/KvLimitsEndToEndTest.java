package dev.astrid.reference.families;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.reference.AbiDriver;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.TestHosts;
import dev.astrid.sys.abi.AbiFunction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The KV quota and the listing bound, seen from a real guest through the kernel. */
class KvLimitsEndToEndTest {
    @TempDir
    Path dir;

    private static GuestCallException failure(Runnable r) {
        return catchThrowableOfType(GuestCallException.class, r::run);
    }

    @Test
    void aSetOverTheQuotaTrapsCleanlyAndWritesNothing() {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).setting("kv.max-keys", "3")
                .setting("kv.max-bytes", "5000").build())) {
            AbiDriver d = new AbiDriver(TestHosts.loadBare(host, "abi-driver"));
            for (String k : new String[] {"a", "b", "c"}) {
                d.call(AbiFunction.KV_SET, k.getBytes(), "v".getBytes());
            }
            GuestCallException keys = failure(() -> d.call(AbiFunction.KV_SET, "d".getBytes(), "v".getBytes()));
            assertThat(keys.kind()).isEqualTo(GuestCallException.Kind.HOST_ERROR);
            assertThat(keys).hasMessage("astrid_kv_set: kv_set failed: quota exceeded: the capsule's store holds 3 keys,"
                    + " its limit (setting kv.max-keys) is 3; delete keys first");
            assertThat(d.call(AbiFunction.KV_GET, "d".getBytes())).isEmpty();
            GuestCallException bytes = failure(() -> d.call(AbiFunction.KV_SET, "a".getBytes(), new byte[5000]));
            assertThat(bytes).hasMessageStartingWith("astrid_kv_set: kv_set failed: quota exceeded: this write would take")
                    .hasMessageContaining("setting kv.max-bytes");
            assertThat(d.text(AbiFunction.KV_GET, "a")).as("the old value stays").isEqualTo("v");
            d.call(AbiFunction.KV_DELETE, "c".getBytes());
            d.call(AbiFunction.KV_SET, "d".getBytes(), new byte[4000]);
            assertThat(d.call(AbiFunction.KV_GET, "d".getBytes())).hasSize(4000);
        }
    }

    @Test
    void listingMoreThanTheResultBoundTrapsInsteadOfBuildingIt() {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver d = new AbiDriver(TestHosts.loadBare(host, "abi-driver"));
            String pad = "x".repeat(4090);
            int n = PayloadLimits.MAX_GUEST_PAYLOAD / 4096 + 60;
            for (int i = 0; i < n; i++) {
                d.call(AbiFunction.KV_SET, (String.format("%05d", i) + pad).getBytes(StandardCharsets.UTF_8), new byte[] {1});
            }
            GuestCallException e = failure(() -> d.call(AbiFunction.KV_LIST_KEYS, new byte[0]));
            assertThat(e.kind()).isEqualTo(GuestCallException.Kind.HOST_ERROR);
            assertThat(e).hasMessage("astrid_kv_list_keys: kv_list_keys failed: the keys with this prefix make more than "
                    + PayloadLimits.MAX_GUEST_PAYLOAD + " bytes of JSON, the result limit; list narrower prefixes");
            assertThat(d.text(AbiFunction.KV_LIST_KEYS, "00001")).isEqualTo("[\"00001" + pad + "\"]");
            assertThat(d.text(AbiFunction.KV_CLEAR_PREFIX, "")).isEqualTo(Integer.toString(n));
        }
    }
}
