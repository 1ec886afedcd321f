package dev.astrid.host.ipc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.ipc.Batch;
import dev.astrid.host.ipc.BusMessage;
import dev.astrid.host.ipc.BusTransport;
import dev.astrid.host.ipc.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The bus over a transport: frames carry messages between buses, a host skips its own, failures fail the publish. */
class TransportTest {
    /** An in-process medium: every frame sent by any bus reaches every bus, the sender included. */
    static final class Medium {
        final List<Consumer<byte[]>> receivers = new CopyOnWriteArrayList<>();
        volatile boolean down;

        BusTransport endpoint() {
            return new BusTransport() {
                @Override
                public void start(Consumer<byte[]> receiver) {
                    receivers.add(receiver);
                }

                @Override
                public void send(byte[] frame) {
                    if (down) {
                        throw new IllegalStateException("the medium is down");
                    }
                    receivers.forEach(r -> r.accept(frame));
                }

                @Override
                public void close() {
                    receivers.clear();
                }
            };
        }
    }

    final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05.123456789Z"), ZoneOffset.UTC);

    @Test
    void aMessageReachesTheOtherBusOnceAndItsOwnSubscribersOnce() throws InterruptedException {
        Medium medium = new Medium();
        Bus a = new Bus(clock, medium.endpoint());
        Bus b = new Bus(clock, medium.endpoint());
        Subscription onA = a.subscribe("app.*");
        Subscription onB = b.subscribe("app.*");
        UUID source = UUID.randomUUID();
        BusMessage sent = a.publish("app.x", "{\"n\":1}", source);

        Batch got = onB.recv(Duration.ofSeconds(5));
        assertThat(got.messages()).hasSize(1);
        BusMessage m = got.messages().get(0);
        assertThat(m.topic()).isEqualTo("app.x");
        assertThat(m.payloadJson()).isEqualTo(sent.payloadJson()).isEqualTo("{\"type\":\"custom\",\"data\":{\"n\":1}}");
        assertThat(m.sourceId()).isEqualTo(source);
        assertThat(m.timestamp()).isEqualTo(clock.instant());
        assertThat(onA.poll().messages()).as("the sender's own frame came back and was skipped").hasSize(1);
        assertThat(onB.poll().messages()).isEmpty();
        a.close();
        b.close();
    }

    @Test
    void aFailedSendFailsThePublishAndDeliversNothing() {
        Medium medium = new Medium();
        Bus a = new Bus(clock, medium.endpoint());
        Subscription onA = a.subscribe("app.*");
        medium.down = true;
        assertThatThrownBy(() -> a.publish("app.x", "{}", UUID.randomUUID()))
                .isInstanceOf(IllegalStateException.class).hasMessage("the medium is down");
        assertThat(onA.poll().messages()).isEmpty();
        a.close();
    }

    @Test
    void malformedFramesAreDroppedAndTheBusGoesOn() {
        Medium medium = new Medium();
        Bus a = new Bus(clock, medium.endpoint());
        Subscription onA = a.subscribe("app.*");
        byte[] good = Frame.encode(UUID.randomUUID(), "app.y", PayloadMapper.map("{\"k\":2}"), UUID.randomUUID(), clock.instant());
        for (int cut = 0; cut < good.length; cut++) {
            medium.receivers.get(0).accept(java.util.Arrays.copyOf(good, cut));
        }
        byte[] badVersion = good.clone();
        badVersion[0] = 9;
        medium.receivers.get(0).accept(badVersion);
        assertThat(onA.poll().messages()).isEmpty();
        medium.receivers.get(0).accept(good);
        assertThat(onA.poll().messages()).extracting(BusMessage::topic).containsExactly("app.y");
        a.close();
    }
}
