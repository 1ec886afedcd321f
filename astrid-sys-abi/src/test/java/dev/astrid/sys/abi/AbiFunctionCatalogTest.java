package dev.astrid.sys.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins the catalog to the seed ABI: the 48 names, their order and their wasm types. */
class AbiFunctionCatalogTest {

    /** Name and wasm type of every seed declaration, in the seed's order, typed in by hand. */
    private static final List<String> SEED = List.of(
            "astrid_fs_exists (i64) -> i64",
            "astrid_fs_mkdir (i64) -> ()",
            "astrid_fs_readdir (i64) -> i64",
            "astrid_fs_stat (i64) -> i64",
            "astrid_fs_unlink (i64) -> ()",
            "astrid_read_file (i64) -> i64",
            "astrid_write_file (i64, i64) -> ()",
            "astrid_ipc_publish (i64, i64) -> ()",
            "astrid_ipc_subscribe (i64) -> i64",
            "astrid_ipc_unsubscribe (i64) -> ()",
            "astrid_ipc_poll (i64) -> i64",
            "astrid_ipc_recv (i64, i64) -> i64",
            "astrid_uplink_register (i64, i64, i64) -> i64",
            "astrid_uplink_send (i64, i64, i64) -> i64",
            "astrid_kv_get (i64) -> i64",
            "astrid_kv_set (i64, i64) -> ()",
            "astrid_kv_delete (i64) -> ()",
            "astrid_kv_list_keys (i64) -> i64",
            "astrid_kv_clear_prefix (i64) -> i64",
            "astrid_get_config (i64) -> i64",
            "astrid_get_caller () -> i64",
            "astrid_net_bind_unix (i64) -> i64",
            "astrid_net_accept (i64) -> i64",
            "astrid_net_read (i64) -> i64",
            "astrid_net_write (i64, i64) -> ()",
            "astrid_net_close_stream (i64) -> ()",
            "astrid_net_poll_accept (i64) -> i64",
            "astrid_http_request (i64) -> i64",
            "astrid_log (i64, i64) -> ()",
            "astrid_cron_schedule (i64, i64, i64) -> ()",
            "astrid_cron_cancel (i64) -> ()",
            "astrid_trigger_hook (i64) -> i64",
            "astrid_clock_ms () -> i64",
            "astrid_elicit (i64) -> i64",
            "astrid_has_secret (i64) -> i64",
            "astrid_request_approval (i64) -> i64",
            "astrid_spawn_host (i64) -> i64",
            "astrid_signal_ready () -> ()",
            "astrid_get_interceptor_handles () -> i64",
            "astrid_identity_resolve (i64) -> i64",
            "astrid_identity_link (i64) -> i64",
            "astrid_identity_unlink (i64) -> i64",
            "astrid_identity_create_user (i64) -> i64",
            "astrid_identity_list_links (i64) -> i64",
            "astrid_check_capsule_capability (i64) -> i64",
            "astrid_spawn_background_host (i64) -> i64",
            "astrid_read_process_logs_host (i64) -> i64",
            "astrid_kill_process_host (i64) -> i64");

    @Test
    void catalogHasExactlyTheSeedFunctionsInSeedOrder() {
        List<String> actual = Arrays.stream(AbiFunction.values())
                .map(f -> f.symbol() + " " + f.wasmSignature())
                .collect(Collectors.toList());
        assertThat(actual).containsExactlyElementsOf(SEED);
        assertThat(AbiFunction.values()).hasSize(48);
    }

    @Test
    void parameterNamesFollowTheSeed() {
        assertThat(AbiFunction.WRITE_FILE.params()).containsExactly("path", "content");
        assertThat(AbiFunction.UPLINK_SEND.params()).containsExactly("uplink_id", "platform_user_id", "content");
        assertThat(AbiFunction.CRON_SCHEDULE.params()).containsExactly("name", "schedule", "payload");
        assertThat(AbiFunction.IPC_RECV.params()).containsExactly("handle", "timeout_ms");
        assertThat(AbiFunction.GET_CALLER.params()).isEmpty();
    }

    @Test
    void everyFunctionMapsToOneMethodOfItsFamilyInterface() {
        for (Family family : Family.values()) {
            List<AbiFunction> fns = AbiFunction.ofFamily(family);
            Method[] methods = family.api().getDeclaredMethods();
            assertThat(methods).as("methods of %s", family.api().getSimpleName()).hasSameSizeAs(fns);
            for (AbiFunction fn : fns) {
                String javaName = camel(fn.symbol().substring("astrid_".length()));
                Method m = Arrays.stream(methods).filter(x -> x.getName().equals(javaName)).findFirst()
                        .orElseThrow(() -> new AssertionError("no method " + javaName + " in " + family.api()));
                assertThat(m.getParameterCount()).as(fn.symbol()).isEqualTo(fn.paramCount());
                assertThat(m.getParameterTypes()).allMatch(t -> t == byte[].class);
                assertThat(m.getReturnType()).as(fn.symbol()).isEqualTo(fn.returnsBytes() ? byte[].class : void.class);
            }
        }
    }

    @Test
    void invokerReachesTheRightMethodWithTheRightArguments() {
        StringBuilder seen = new StringBuilder();
        KvFunctions kv = new KvFunctions() {
            @Override public byte[] kvGet(byte[] key) { seen.append("get:").append(new String(key)); return new byte[] {7}; }
            @Override public void kvSet(byte[] key, byte[] value) { seen.append("set:").append(new String(key)).append('=').append(new String(value)); }
            @Override public void kvDelete(byte[] key) { throw new AssertionError(); }
            @Override public byte[] kvListKeys(byte[] prefix) { throw new AssertionError(); }
            @Override public byte[] kvClearPrefix(byte[] prefix) { throw new AssertionError(); }
        };
        assertThat(AbiFunction.KV_GET.invoke(kv, new byte[][] {"k".getBytes()})).containsExactly(7);
        assertThat(AbiFunction.KV_SET.invoke(kv, new byte[][] {"a".getBytes(), "b".getBytes()})).isNull();
        assertThat(seen.toString()).isEqualTo("get:kset:a=b");
        assertThatThrownBy(() -> AbiFunction.KV_SET.invoke(kv, new byte[][] {"a".getBytes()}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("astrid_kv_set takes 2");
        assertThatThrownBy(() -> AbiFunction.FS_STAT.invoke(kv, new byte[][] {new byte[0]}))
                .isInstanceOf(ClassCastException.class);
    }

    @Test
    void lookupBySymbolAndFamilyId() {
        assertThat(AbiFunction.bySymbol("astrid_clock_ms")).isEqualTo(AbiFunction.CLOCK_MS);
        assertThat(AbiFunction.bySymbol("astrid_nope")).isNull();
        assertThat(Family.byId("identity")).isEqualTo(Family.IDENTITY);
        assertThatThrownBy(() -> Family.byId("disk")).hasMessageContaining("unknown family 'disk'").hasMessageContaining("fs, ipc");
    }

    private static String camel(String snake) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }
}
