package dev.astrid.host.ipc.internal;

import static dev.astrid.host.ipc.internal.Fixture.assertHostError;
import static dev.astrid.host.ipc.internal.Fixture.b;
import static dev.astrid.host.ipc.internal.Fixture.json;
import static dev.astrid.host.ipc.internal.Fixture.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.ipc.internal.Fixture.Background;
import dev.astrid.host.spi.HostException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecvTest {
    @TempDir
    Path tmp;
    Fixture f;
    CapsuleIpc sender;
    CapsuleIpc receiver;
    String handle;

    @BeforeEach
    void setUp() {
        f = new Fixture(tmp);
        sender = f.bind(f.capsule("sender", List.of("r.*"), List.of()));
        receiver = f.bind(f.capsule("receiver", List.of(), List.of("r.*")));
        handle = s(receiver.ipcSubscribe(b("r.*")));
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void timeoutsAreDecimalMillisecondsCappedAtOneMinute() {
        assertThat(s(receiver.ipcRecv(b(handle), b("1")))).isEqualTo(Envelope.EMPTY);
        assertThat(s(receiver.ipcRecv(b(handle), b("+0")))).isEqualTo(Envelope.EMPTY);
        assertHostError(() -> receiver.ipcRecv(b(handle), b("soon"))).hasMessageContaining("invalid timeout 'soon'");
        assertHostError(() -> receiver.ipcRecv(b(handle), b(" 5"))).hasMessageContaining("invalid timeout");
        assertHostError(() -> receiver.ipcRecv(b(handle), b("-5"))).hasMessageContaining("invalid timeout");
        assertHostError(() -> receiver.ipcRecv(b(handle), b("9".repeat(33))))
                .hasMessageContaining("exceeds maximum allowed limit");
    }

    @Test
    void aHugeTimeoutIsCappedAndStillWakesOnPublish() throws Exception {
        Background<byte[]> recv = Background.start("recv",
                () -> receiver.ipcRecv(b(handle), b("18446744073709551615")));
        awaitWaiting(recv);
        sender.ipcPublish(b("r.x"), b("1"));
        assertThat(json(recv.get()).getAsJsonArray("messages")).hasSize(1);
    }

    @Test
    void recvReturnsAsSoonAsAMessageArrivesWithTheRestQueuedBehindIt() throws Exception {
        Background<byte[]> recv = Background.start("recv", () -> receiver.ipcRecv(b(handle), b("60000")));
        awaitWaiting(recv);
        sender.ipcPublish(b("r.one"), b("1"));
        var messages = json(recv.get()).getAsJsonArray("messages");
        assertThat(messages.size()).isEqualTo(1);
        assertThat(messages.get(0).getAsJsonObject().get("topic").getAsString()).isEqualTo("r.one");
    }

    @Test
    void closingTheBindingWakesRecvWhichReturnsWhatWasQueued() throws Exception {
        Background<byte[]> recv = Background.start("recv", () -> receiver.ipcRecv(b(handle), b("60000")));
        awaitWaiting(recv);
        receiver.close();
        assertThat(s(recv.get())).isEqualTo(Envelope.EMPTY);
        assertHostError(() -> receiver.ipcPoll(b(handle))).hasMessageContaining("is unloaded");
        assertHostError(() -> receiver.ipcRecv(b(handle), b("0"))).hasMessageContaining("is unloaded");
        assertHostError(receiver::signalReady).hasMessageContaining("is unloaded");
        assertHostError(receiver::getInterceptorHandles).hasMessageContaining("is unloaded");
        // close is idempotent
        receiver.close();
    }

    @Test
    void interruptEndsTheWaitWithAHostErrorAndKeepsTheFlag() throws Exception {
        Background<Boolean> recv = Background.start("recv", () -> {
            try {
                receiver.ipcRecv(b(handle), b("60000"));
                return false;
            } catch (HostException e) {
                assertThat(e.getMessage()).contains("interrupted");
                return Thread.currentThread().isInterrupted();
            }
        });
        awaitWaiting(recv);
        recv.thread().interrupt();
        assertThat(recv.get()).as("the interrupt flag is restored").isTrue();
        // Nothing was lost: the subscription still works.
        sender.ipcPublish(b("r.x"), b("1"));
        assertThat(json(receiver.ipcPoll(b(handle))).getAsJsonArray("messages")).hasSize(1);
    }

    @Test
    void anAlreadyInterruptedCallerFailsAtOnceWhenItWouldWait() throws Exception {
        Background<Boolean> recv = Background.start("recv", () -> {
            Thread.currentThread().interrupt();
            try {
                receiver.ipcRecv(b(handle), b("60000"));
                return false;
            } catch (HostException e) {
                return Thread.currentThread().isInterrupted();
            }
        });
        assertThat(recv.get()).isTrue();
    }

    @Test
    void unknownHandleIsRefusedBeforeWaiting() {
        assertHostError(() -> receiver.ipcRecv(b("77"), b("60000"))).hasMessage("Subscription handle not found: 77");
        assertThatThrownBy(() -> receiver.ipcRecv(b(""), b("1"))).isInstanceOf(HostException.class);
    }

    private static void awaitWaiting(Background<?> recv) {
        Fixture.awaitCondition("recv thread is waiting",
                () -> recv.thread().getState() == Thread.State.TIMED_WAITING || recv.future().isDone());
        assertThat(recv.future().isDone()).as("recv returned before anything happened").isFalse();
    }
}
