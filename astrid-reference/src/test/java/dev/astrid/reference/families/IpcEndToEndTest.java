package dev.astrid.reference.families;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.reference.AbiDriver;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.Guests;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.TestHosts;
import dev.astrid.sys.abi.AbiFunction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IPC family between real capsules: the bus, hook delivery to an interceptor, readiness. */
class IpcEndToEndTest {
    @TempDir
    Path dir;

    private LoadedCapsule load(AstridHost host, CapsuleManifest m, String guest) throws Exception {
        return host.load(m, Guests.bytes(guest), Optional.of(Files.createDirectories(dir.resolve("c-" + m.name()))));
    }

    @Test
    void aMessagePublishedByOneCapsuleReachesAnother() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            LoadedCapsule a = load(host, CapsuleManifest.bare("alice").withCapabilities(
                    Capabilities.builder().ipcPublish("chat.*").build()), "abi-driver");
            LoadedCapsule b = load(host, CapsuleManifest.bare("bob").withCapabilities(
                    Capabilities.builder().ipcSubscribe("chat.*").build()), "abi-driver");
            AbiDriver alice = new AbiDriver(a);
            AbiDriver bob = new AbiDriver(b);
            String handle = bob.text(AbiFunction.IPC_SUBSCRIBE, "chat.*");
            assertThat(handle).isEqualTo("1");
            alice.text(AbiFunction.IPC_PUBLISH, "chat.room1", "{\"text\":\"hi\"}");
            JsonObject env = JsonParser.parseString(bob.text(AbiFunction.IPC_RECV, handle, "5000")).getAsJsonObject();
            assertThat(env.get("dropped").getAsLong()).isZero();
            assertThat(env.get("lagged").getAsLong()).isZero();
            JsonArray msgs = env.getAsJsonArray("messages");
            assertThat(msgs).hasSize(1);
            JsonObject m = msgs.get(0).getAsJsonObject();
            assertThat(m.get("topic").getAsString()).isEqualTo("chat.room1");
            assertThat(m.get("payload").toString()).isEqualTo("{\"type\":\"custom\",\"data\":{\"text\":\"hi\"}}");
            assertThat(m.get("source_id").getAsString()).isEqualTo(a.sessionId().toString());
            assertThat(m.get("signature").isJsonNull()).isTrue();
            assertThat(Instant.parse(m.get("timestamp").getAsString())).isBeforeOrEqualTo(Instant.now());
            assertThat(bob.text(AbiFunction.IPC_POLL, handle)).isEqualTo("{\"messages\":[],\"dropped\":0,\"lagged\":0}");

            GuestCallException denied = catchThrowableOfType(GuestCallException.class,
                    () -> bob.text(AbiFunction.IPC_PUBLISH, "chat.room1", "{}"));
            assertThat(denied).hasMessageStartingWith("astrid_ipc_publish: ");
            GuestCallException unknown = catchThrowableOfType(GuestCallException.class,
                    () -> bob.text(AbiFunction.IPC_UNSUBSCRIBE, "99"));
            assertThat(unknown).hasMessageContaining("Subscription handle not found");
        }
    }

    @Test
    void anInterceptorCapsuleReceivesAHookCall() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            LoadedCapsule recorder = load(host, CapsuleManifest.bare("recorder")
                    .withCapabilities(Capabilities.builder().ipcSubscribe("demo.events").build())
                    .withInterceptors(List.of(new CapsuleManifest.Interceptor("demo.events", "on_event"))), "hook-recorder");
            AbiDriver publisher = new AbiDriver(load(host, CapsuleManifest.bare("publisher").withCapabilities(
                    Capabilities.builder().ipcPublish("demo.*").build()), "abi-driver"));
            publisher.text(AbiFunction.IPC_PUBLISH, "demo.events", "{\"n\":7}");
            String last = "";
            long deadline = System.currentTimeMillis() + 20_000;
            while (last.isEmpty() && System.currentTimeMillis() < deadline) {
                last = new String(recorder.call("last", new byte[0], Invocation.Caller.NONE, Duration.ofSeconds(10)),
                        StandardCharsets.UTF_8);
            }
            JsonObject hook = JsonParser.parseString(last).getAsJsonObject();
            assertThat(hook.get("name").getAsString()).isEqualTo("on_event");
            StringBuilder payload = new StringBuilder();
            hook.getAsJsonArray("arguments").forEach(b -> payload.append((char) b.getAsInt()));
            assertThat(payload.toString()).isEqualTo("{\"n\":7}");
        }
    }

    @Test
    void aCapsuleCannotInterceptWhatItMayNotSubscribeTo() throws Exception {
        Path spy = Files.createDirectories(dir.resolve("spy"));
        Guests.copyTo("hook-recorder", spy);
        Files.writeString(spy.resolve("Capsule.toml"), String.join("\n", "[package]", "name = \"spy\"",
                "version = \"0.1.0\"", "[[component]]", "file = \"hook-recorder.wasm\"",
                "[[interceptor]]", "event = \"*.*\"", "action = \"on_everything\"", ""));
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            IllegalArgumentException refused = catchThrowableOfType(IllegalArgumentException.class, () -> host.load(spy));
            assertThat(refused).hasMessage("cannot load spy: capsule spy: interceptor 'on_everything' on event '*.*'"
                    + " needs an ipc_subscribe capability that covers '*.*': the capsule declares no ipc_subscribe capability");
            assertThat(host.capsules()).isEmpty();

            // With the capability, the same capsule gets the messages a subscription to its event would.
            Files.writeString(spy.resolve("Capsule.toml"), String.join("\n", "[package]", "name = \"spy\"",
                    "version = \"0.1.0\"", "[[component]]", "file = \"hook-recorder.wasm\"",
                    "[capabilities]", "ipc_subscribe = [\"chat.*\"]",
                    "[[interceptor]]", "event = \"chat.*\"", "action = \"on_chat\"", ""));
            LoadedCapsule allowed = host.load(spy);
            AbiDriver publisher = new AbiDriver(load(host, CapsuleManifest.bare("publisher").withCapabilities(
                    Capabilities.builder().ipcPublish("chat.*").build()), "abi-driver"));
            publisher.text(AbiFunction.IPC_PUBLISH, "chat.room", "{\"n\":1}");
            String last = "";
            long deadline = System.currentTimeMillis() + 20_000;
            while (last.isEmpty() && System.currentTimeMillis() < deadline) {
                last = new String(allowed.call("last", new byte[0], Invocation.Caller.NONE, Duration.ofSeconds(10)),
                        StandardCharsets.UTF_8);
            }
            assertThat(JsonParser.parseString(last).getAsJsonObject().get("name").getAsString()).isEqualTo("on_chat");
        }
    }

    @Test
    void aPublishOfHalfASurrogatePairTrapsAndNothingIsDelivered() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver a = new AbiDriver(load(host, CapsuleManifest.bare("alice").withCapabilities(
                    Capabilities.builder().ipcPublish("chat.*").ipcSubscribe("chat.*").build()), "abi-driver"));
            String handle = a.text(AbiFunction.IPC_SUBSCRIBE, "chat.*");
            assertThat(catchThrowableOfType(GuestCallException.class,
                    () -> a.text(AbiFunction.IPC_PUBLISH, "chat.room", "{\"text\":\"\\ud800\"}")))
                    .hasMessage("astrid_ipc_publish: IPC payload is not valid JSON: a string holds an unpaired surrogate"
                            + " \\ud800 (half of a surrogate pair)");
            assertThat(a.text(AbiFunction.IPC_POLL, handle)).isEqualTo("{\"messages\":[],\"dropped\":0,\"lagged\":0}");
        }
    }

    @Test
    void uplinkMessagesReachTheHostsConsumerOrAreReportedDropped() throws Exception {
        List<dev.astrid.host.spi.UplinkMessage> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        CapsuleManifest bridge = CapsuleManifest.bare("bridge")
                .withUplinks(List.of(new CapsuleManifest.Uplink("chat", "discord", "chat")));
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).uplinkConsumer(received::add).build())) {
            AbiDriver d = new AbiDriver(load(host, bridge, "abi-driver"));
            String id = d.text(AbiFunction.UPLINK_REGISTER, "chat", "Discord", "human");
            assertThat(id).matches("[0-9a-f-]{36}");
            assertThat(d.text(AbiFunction.UPLINK_SEND, id, "user-9", "hello there")).isEqualTo("{\"ok\":true}");
            assertThat(received).singleElement().satisfies(m -> {
                assertThat(m.capsuleId()).isEqualTo("bridge");
                assertThat(m.platform()).isEqualTo("discord");
                assertThat(m.platformUserId()).isEqualTo("user-9");
                assertThat(m.content()).isEqualTo("hello there");
            });
        }
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver d = new AbiDriver(load(host, bridge, "abi-driver"));
            String id = d.text(AbiFunction.UPLINK_REGISTER, "chat", "discord", "chat");
            assertThat(d.text(AbiFunction.UPLINK_SEND, id, "user-9", "nobody reads this"))
                    .isEqualTo("{\"ok\":false,\"dropped\":true}");
        }
    }

    @Test
    void aRunLoopCapsuleGetsItsInterceptorsAsHandles() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            LoadedCapsule c = load(host, CapsuleManifest.bare("looper")
                    .withCapabilities(Capabilities.builder().ipcSubscribe("demo.x", "demo.*.y").build())
                    .withInterceptors(List.of(
                    new CapsuleManifest.Interceptor("demo.x", "on_x"), new CapsuleManifest.Interceptor("demo.*.y", "on_y"))),
                    "run-loop-probe");
            String handles = new String(c.call("handles", new byte[0], Invocation.Caller.NONE, Duration.ofSeconds(10)),
                    StandardCharsets.UTF_8);
            assertThat(JsonParser.parseString(handles)).isEqualTo(JsonParser.parseString(
                    "[{\"handle_id\":1,\"action\":\"on_x\",\"topic\":\"demo.x\"},"
                    + "{\"handle_id\":2,\"action\":\"on_y\",\"topic\":\"demo.*.y\"}]"));
        }
    }

    @Test
    void signalReadyMarksTheCapsuleReady() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            LoadedCapsule c = load(host, CapsuleManifest.bare("readiness"), "abi-driver");
            assertThat(c.isReady()).isFalse();
            new AbiDriver(c).call(AbiFunction.SIGNAL_READY);
            assertThat(c.awaitReady(Duration.ofSeconds(5))).isTrue();
            assertThat(new AbiDriver(c).text(AbiFunction.GET_INTERCEPTOR_HANDLES)).isEqualTo("[]");
        }
    }
}
