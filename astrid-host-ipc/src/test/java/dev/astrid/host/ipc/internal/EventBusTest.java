package dev.astrid.host.ipc.internal;

import static dev.astrid.host.ipc.internal.Fixture.b;
import static dev.astrid.host.ipc.internal.Fixture.json;
import static dev.astrid.host.ipc.internal.Fixture.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.ipc.Batch;
import dev.astrid.host.ipc.BusMessage;
import dev.astrid.host.ipc.IpcProvider;
import dev.astrid.host.ipc.Subscription;
import dev.astrid.host.ipc.internal.Fixture.Background;
import dev.astrid.host.tck.TestCapsule;
import dev.astrid.sys.abi.IpcFunctions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java API of the bus, through the provider as an embedding application uses it. */
class EventBusTest {
    @TempDir
    Path tmp;
    IpcProvider provider;
    TestCapsule.Host host;
    final UUID me = UUID.randomUUID();

    @BeforeEach
    void setUp() {
        provider = new IpcProvider();
        host = new TestCapsule.Host(tmp);
    }

    @AfterEach
    void tearDown() {
        provider.close();
    }

    @Test
    void javaPublishesReachCapsulesAndLookTheSame() {
        TestCapsule c = host.capsule("c").capabilities(
                dev.astrid.host.spi.manifest.Capabilities.builder().ipcSubscribe("app.*").build()).build();
        IpcFunctions ipc = provider.bind(c);
        String h = s(ipc.ipcSubscribe(b("app.*")));

        BusMessage sent = provider.bus().publish("app.started", "{\"v\":1}", me);

        assertThat(sent.payloadJson()).isEqualTo("{\"type\":\"custom\",\"data\":{\"v\":1}}");
        var m = json(ipc.ipcPoll(b(h))).getAsJsonArray("messages").get(0).getAsJsonObject();
        assertThat(m.get("source_id").getAsString()).isEqualTo(me.toString());
        assertThat(m.get("seq").getAsLong()).isEqualTo(sent.seq());
        assertThat(m.get("timestamp").getAsString()).isEqualTo(sent.timestamp().toString());
    }

    @Test
    void capsulePublishesReachJavaSubscribers() throws Exception {
        TestCapsule c = host.capsule("c").capabilities(
                dev.astrid.host.spi.manifest.Capabilities.builder().ipcPublish("cap.*").build()).build();
        IpcFunctions ipc = provider.bind(c);
        try (Subscription sub = provider.bus().subscribe("cap.*")) {
            ipc.ipcPublish(b("cap.event"), b("{\"type\":\"connect\"}"));
            Batch batch = sub.recv(Duration.ofMinutes(1));
            assertThat(batch.messages()).hasSize(1);
            BusMessage m = batch.messages().get(0);
            assertThat(m.topic()).isEqualTo("cap.event");
            assertThat(m.payloadJson()).isEqualTo("{\"type\":\"connect\"}");
            assertThat(m.sourceId()).isEqualTo(c.sessionId());
        }
    }

    @Test
    void javaSubscribersSeeLagAndWakeUp() throws Exception {
        try (Subscription sub = provider.bus().subscribe("j.x", 2)) {
            for (int i = 0; i < 5; i++) {
                provider.bus().publish("j.x", Integer.toString(i), me);
            }
            Batch b = sub.poll();
            assertThat(b.messages()).extracting(BusMessage::payloadJson)
                    .containsExactly("{\"type\":\"custom\",\"data\":3}", "{\"type\":\"custom\",\"data\":4}");
            assertThat(b.lagged()).isEqualTo(3);

            Background<Batch> recv = Background.start("recv", () -> sub.recv(Duration.ofMinutes(1)));
            Fixture.awaitCondition("recv is waiting", () -> ((SubscriptionQueue) sub).hasWaiters());
            provider.bus().publish("j.x", "5", me);
            assertThat(recv.get().messages()).hasSize(1);
        }
    }

    @Test
    void closingTheProviderWakesJavaReceivers() throws Exception {
        Subscription sub = provider.bus().subscribe("never.*");
        Background<Batch> recv = Background.start("recv", () -> sub.recv(Duration.ofMinutes(1)));
        Fixture.awaitCondition("recv is waiting", () -> ((SubscriptionQueue) sub).hasWaiters());
        provider.close();
        assertThat(recv.get().isEmpty()).isTrue();
        assertThat(sub.isClosed()).isTrue();
        assertThatThrownBy(() -> provider.bus().publish("never.x", "1", me)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void invalidInputIsRefusedWithIllegalArgument() {
        assertThatThrownBy(() -> provider.bus().publish("a..b", "1", me)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> provider.bus().publish("a.b", "{", me))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("IPC payload is not valid JSON");
        assertThatThrownBy(() -> provider.bus().publish("a.b", "\"" + "x".repeat(5 * 1024 * 1024) + "\"", me))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Payload too large");
        assertThatThrownBy(() -> provider.bus().subscribe("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> provider.bus().subscribe("a", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void javaSubscriptionsMayUseInnerWildcardsAndCloseLeavesTheBus() {
        Subscription sub = provider.bus().subscribe("a.*.c");
        provider.bus().publish("a.b.c", "1", me);
        provider.bus().publish("a.b.d", "2", me);
        assertThat(sub.poll().messages()).extracting(BusMessage::topic).containsExactly("a.b.c");
        sub.close();
        provider.bus().publish("a.b.c", "3", me);
        assertThat(sub.poll().messages()).isEmpty();
        assertThat(List.of(sub.pattern())).containsExactly("a.*.c");
    }
}
