package dev.astrid.reference.families;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.host.tck.RedisServer;
import dev.astrid.reference.AbiDriver;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.Guests;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.TestHosts;
import dev.astrid.sys.abi.AbiFunction;
import dev.astrid.sys.abi.Family;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two reference hosts configured with the Redis providers ({@code kv=redis}, {@code ipc=redis}) on
 * one real redis-server, real guests through the kernel: a capsule's KV namespace is shared, a
 * message published on one host reaches an interceptor on the other, and an outage is a trap that
 * names the function.
 */
class RedisEndToEndTest {
    @TempDir
    Path dir;

    private static AstridHost host(Path dir, RedisServer redis, String prefix) {
        return AstridHost.start(TestHosts.config(dir, false).provider(Family.KV, "redis").provider(Family.IPC, "redis")
                .setting("redis.url", redis.url().toString()).setting("redis.prefix", prefix).build());
    }

    private static LoadedCapsule load(AstridHost host, Path dir, CapsuleManifest m, String guest) throws Exception {
        return host.load(m, Guests.bytes(guest), Optional.of(Files.createDirectories(dir.resolve("c-" + m.name()))));
    }

    @Test
    void kvAndTheBusAreSharedBetweenTwoHostsAndAnOutageTraps() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Path spy = Files.createDirectories(dir.resolve("recorder"));
        Guests.copyTo("hook-recorder", spy);
        Files.writeString(spy.resolve("Capsule.toml"), String.join("\n", "[package]", "name = \"recorder\"",
                "version = \"0.1.0\"", "[[component]]", "file = \"hook-recorder.wasm\"",
                "[capabilities]", "ipc_subscribe = [\"demo.events\"]",
                "[[interceptor]]", "event = \"demo.events\"", "action = \"on_event\"", ""));
        try (RedisServer redis = RedisServer.start(Files.createDirectories(dir.resolve("redis")))) {
            String prefix = RedisServer.uniquePrefix();
            try (AstridHost hostA = host(a, redis, prefix); AstridHost hostB = host(b, redis, prefix)) {
                CapsuleManifest shared = CapsuleManifest.bare("shared").withCapabilities(
                        Capabilities.builder().ipcPublish("demo.*").build());
                AbiDriver onA = new AbiDriver(load(hostA, a, shared, "abi-driver"));
                AbiDriver onB = new AbiDriver(load(hostB, b, shared, "abi-driver"));
                LoadedCapsule recorder = hostA.load(spy);

                onA.text(AbiFunction.KV_SET, "greeting", "hello from A");
                onA.text(AbiFunction.KV_SET, "greeting.2", "again");
                assertThat(onB.text(AbiFunction.KV_GET, "greeting")).isEqualTo("hello from A");
                assertThat(onB.text(AbiFunction.KV_LIST_KEYS, "greeting")).isEqualTo("[\"greeting\",\"greeting.2\"]");
                assertThat(onB.text(AbiFunction.KV_CLEAR_PREFIX, "greeting.")).isEqualTo("1");
                assertThat(onA.text(AbiFunction.KV_LIST_KEYS, "")).isEqualTo("[\"greeting\"]");

                onB.text(AbiFunction.IPC_PUBLISH, "demo.events", "{\"n\":7}");
                String last = "";
                long deadline = System.currentTimeMillis() + 20_000;
                while (last.isEmpty() && System.currentTimeMillis() < deadline) {
                    last = new String(recorder.call("last", new byte[0], Invocation.Caller.NONE, Duration.ofSeconds(10)),
                            StandardCharsets.UTF_8);
                }
                JsonObject hook = JsonParser.parseString(last).getAsJsonObject();
                assertThat(hook.get("name").getAsString()).as("host A's interceptor, host B's message").isEqualTo("on_event");
                StringBuilder payload = new StringBuilder();
                hook.getAsJsonArray("arguments").forEach(x -> payload.append((char) x.getAsInt()));
                assertThat(payload.toString()).isEqualTo("{\"n\":7}");

                redis.stop();
                GuestCallException get = catchThrowableOfType(GuestCallException.class,
                        () -> onB.text(AbiFunction.KV_GET, "greeting"));
                assertThat(get).hasMessageStartingWith("astrid_kv_get: kv_get failed: read failed on Redis at 127.0.0.1:");
                GuestCallException publish = catchThrowableOfType(GuestCallException.class,
                        () -> onA.text(AbiFunction.IPC_PUBLISH, "demo.events", "{}"));
                assertThat(publish).hasMessageStartingWith("astrid_ipc_publish: the event bus could not publish on Redis at");
                redis.startAgain();
                assertThat(onB.text(AbiFunction.KV_GET, "greeting")).isEqualTo("hello from A");
                assertThat(List.of(hostA.capsules().size(), hostB.capsules().size())).containsExactly(2, 1);
            }
        }
    }
}
