package dev.astrid.host.ipc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.ipc.internal.Fixture.Background;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SubscriptionQueueTest {
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final Bus bus = new Bus(Clock.systemUTC());
    private final UUID source = UUID.randomUUID();

    private Posted post(String topic, String json) {
        return bus.post(topic, PayloadMapper.map(json), source, Instant.now());
    }

    private static List<Long> seqs(Drained d) {
        List<Long> out = new ArrayList<>();
        for (Posted p : d.messages()) {
            out.add(p.seq());
        }
        return out;
    }

    @Test
    void aFullQueueDropsTheOldestAndReportsTheLossOnce() {
        SubscriptionQueue q = bus.subscribeQueue("lag.*", 3, Bus.DEFAULT_QUEUE_MAX_BYTES);
        List<Long> published = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            published.add(post("lag.x", Integer.toString(i)).seq());
        }
        Drained first = q.drain(SubscriptionQueue.DRAIN_BUDGET);
        assertThat(seqs(first)).containsExactlyElementsOf(published.subList(5, 8));
        assertThat(first.lagged()).isEqualTo(5);
        assertThat(first.dropped()).isZero();

        Drained second = q.drain(SubscriptionQueue.DRAIN_BUDGET);
        assertThat(second).isEqualTo(Drained.EMPTY);

        post("lag.x", "9");
        Drained third = q.drain(SubscriptionQueue.DRAIN_BUDGET);
        assertThat(third.messages()).hasSize(1);
        assertThat(third.lagged()).isZero();
    }

    @Test
    void lagIsReportedEvenWhenNothingIsLeftToDeliver() {
        SubscriptionQueue q = bus.subscribeQueue("lag.x", 1, Bus.DEFAULT_QUEUE_MAX_BYTES);
        post("lag.x", "1");
        post("lag.x", "2");
        assertThat(q.drain(SubscriptionQueue.DRAIN_BUDGET).lagged()).isEqualTo(1);
    }

    @Test
    void theByteBoundAlsoDropsTheOldest() {
        String big = "\"" + "x".repeat(1000) + "\"";
        SubscriptionQueue q = bus.subscribeQueue("b.x", 1024, 2500);
        post("b.x", big);
        post("b.x", big);
        post("b.x", big);
        Drained d = q.drain(SubscriptionQueue.DRAIN_BUDGET);
        assertThat(d.messages()).hasSize(2);
        assertThat(d.lagged()).isEqualTo(1);
    }

    @Test
    void aCapsulesQueuesShareOneByteBudget() {
        String big = "\"" + "x".repeat(1000) + "\"";
        int size = post("nobody.listens", big).payload().length();
        ByteBudget budget = new ByteBudget(3L * size);
        SubscriptionQueue a = bus.subscribeQueue("one.x", 1024, Bus.DEFAULT_QUEUE_MAX_BYTES, budget);
        SubscriptionQueue b = bus.subscribeQueue("two.x", 1024, Bus.DEFAULT_QUEUE_MAX_BYTES, budget);
        post("one.x", big);
        post("one.x", big);
        post("two.x", big);
        assertThat(budget.used()).isEqualTo(3L * size);
        // the budget is spent: b makes room from its own oldest message
        post("two.x", big);
        assertThat(budget.used()).isEqualTo(3L * size);
        Drained fromB = b.drain(SubscriptionQueue.DRAIN_BUDGET);
        assertThat(fromB.messages()).hasSize(1);
        assertThat(fromB.lagged()).isEqualTo(1);
        assertThat(budget.used()).isEqualTo(2L * size);
        // an empty queue that finds the budget spent by others loses the new message, as lag
        post("two.x", big);
        post("one.x", big);
        assertThat(budget.used()).isEqualTo(3L * size);
        post("two.x", big);
        assertThat(b.drain(SubscriptionQueue.DRAIN_BUDGET).messages()).hasSize(1);
        Drained fromA = a.drain(SubscriptionQueue.DRAIN_BUDGET);
        assertThat(fromA.messages()).hasSize(2);
        assertThat(budget.used()).isZero();
        // closing gives what is still queued back to the capsule
        post("one.x", big);
        a.close();
        assertThat(budget.used()).isZero();
        assertThat(a.drain(SubscriptionQueue.DRAIN_BUDGET).messages()).hasSize(1);
        assertThat(budget.used()).isZero();
    }

    @Test
    void aSlowSubscriberNeverBlocksThePublisher() {
        bus.subscribeQueue("slow.x", 1, Bus.DEFAULT_QUEUE_MAX_BYTES);
        for (int i = 0; i < 10_000; i++) {
            post("slow.x", "1");
        }
        // Reaching this line is the assertion: ten thousand publishes into a one-slot queue returned.
        assertThat(bus.recipientCount()).isEqualTo(1);
    }

    @Test
    void theMessageThatOverflowsTheDrainBudgetIsDiscarded() {
        SubscriptionQueue q = bus.subscribeQueue("big.x", 16, Bus.DEFAULT_QUEUE_MAX_BYTES);
        String nearlyFive = "\"" + "a".repeat(5 * 1024 * 1024 - 2) + "\"";
        post("big.x", nearlyFive);
        post("big.x", nearlyFive);
        Posted third = post("big.x", "3");

        Drained d = q.drain(SubscriptionQueue.DRAIN_BUDGET);
        assertThat(d.messages()).hasSize(1);
        assertThat(d.dropped()).isEqualTo(1);
        // Draining stopped after the discarded one: the rest stays queued.
        Drained rest = q.drain(SubscriptionQueue.DRAIN_BUDGET);
        assertThat(seqs(rest)).containsExactly(third.seq());
        assertThat(rest.dropped()).isZero();
    }

    @Test
    void recvDoesNotCountItsFirstMessageAgainstTheBudget() throws Exception {
        SubscriptionQueue q = bus.subscribeQueue("big.x", 16, Bus.DEFAULT_QUEUE_MAX_BYTES);
        String nearlyFive = "\"" + "a".repeat(5 * 1024 * 1024 - 2) + "\"";
        post("big.x", nearlyFive);
        post("big.x", nearlyFive);
        post("big.x", nearlyFive);
        Drained d = q.await(MINUTE, SubscriptionQueue.DRAIN_BUDGET);
        assertThat(d.messages()).hasSize(2);
        assertThat(d.dropped()).isEqualTo(1);
    }

    @Test
    void awaitTimesOutEmpty() throws Exception {
        SubscriptionQueue q = bus.subscribeQueue("none.x", 4, Bus.DEFAULT_QUEUE_MAX_BYTES);
        assertThat(q.await(TimeUnit.MILLISECONDS.toNanos(20), SubscriptionQueue.DRAIN_BUDGET)).isEqualTo(Drained.EMPTY);
        assertThat(q.await(0, SubscriptionQueue.DRAIN_BUDGET)).isEqualTo(Drained.EMPTY);
    }

    @Test
    void awaitWakesOnPublish() throws Exception {
        SubscriptionQueue q = bus.subscribeQueue("wake.x", 4, Bus.DEFAULT_QUEUE_MAX_BYTES);
        Background<Drained> recv = Background.start("recv", () -> q.await(MINUTE, SubscriptionQueue.DRAIN_BUDGET));
        Fixture.awaitCondition("recv is waiting", q::hasWaiters);
        Posted m = post("wake.x", "{\"n\":1}");
        assertThat(seqs(recv.get())).containsExactly(m.seq());
    }

    @Test
    void closeWakesAWaiterWithWhatIsQueued() throws Exception {
        SubscriptionQueue q = bus.subscribeQueue("close.x", 4, Bus.DEFAULT_QUEUE_MAX_BYTES);
        Background<Drained> recv = Background.start("recv", () -> q.await(MINUTE, SubscriptionQueue.DRAIN_BUDGET));
        Fixture.awaitCondition("recv is waiting", q::hasWaiters);
        q.close();
        assertThat(recv.get()).isEqualTo(Drained.EMPTY);
        assertThat(q.isClosed()).isTrue();
        assertThat(bus.recipientCount()).isZero();
        // A closed queue takes nothing more.
        post("close.x", "1");
        assertThat(q.drain(SubscriptionQueue.DRAIN_BUDGET)).isEqualTo(Drained.EMPTY);
    }

    @Test
    void interruptStopsTheWaitAndKeepsTheQueue() throws Exception {
        SubscriptionQueue q = bus.subscribeQueue("int.x", 4, Bus.DEFAULT_QUEUE_MAX_BYTES);
        Background<Drained> recv = Background.start("recv", () -> q.await(MINUTE, SubscriptionQueue.DRAIN_BUDGET));
        Fixture.awaitCondition("recv is waiting", q::hasWaiters);
        recv.thread().interrupt();
        assertThatThrownBy(recv::get).isInstanceOf(InterruptedException.class);
        Posted m = post("int.x", "1");
        assertThat(seqs(q.drain(SubscriptionQueue.DRAIN_BUDGET))).containsExactly(m.seq());
    }

    @Test
    void closingTheBusClosesEveryQueue() throws Exception {
        SubscriptionQueue q = bus.subscribeQueue("bus.x", 4, Bus.DEFAULT_QUEUE_MAX_BYTES);
        Background<Drained> recv = Background.start("recv", () -> q.await(MINUTE, SubscriptionQueue.DRAIN_BUDGET));
        Fixture.awaitCondition("recv is waiting", q::hasWaiters);
        bus.close();
        assertThat(recv.get()).isEqualTo(Drained.EMPTY);
        assertThatThrownBy(() -> post("bus.x", "1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bus.subscribe("bus.x")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void envelopesEncodeEveryMessageWithItsFields() {
        SubscriptionQueue q = bus.subscribeQueue("env.*", 4, Bus.DEFAULT_QUEUE_MAX_BYTES);
        Instant at = Instant.parse("2026-03-16T12:34:56.123456789Z");
        Posted m = bus.post("env.\"q\"", PayloadMapper.map("{\"a\":1}"), source, at);
        String env = Fixture.s(Envelope.encode(q.drain(SubscriptionQueue.DRAIN_BUDGET)));
        assertThat(Fixture.parse(env)).isEqualTo(Fixture.parse("{\"messages\":[{\"topic\":\"env.\\\"q\\\"\","
                + "\"payload\":{\"type\":\"custom\",\"data\":{\"a\":1}},\"signature\":null,\"source_id\":\"" + source
                + "\",\"timestamp\":\"2026-03-16T12:34:56.123456789Z\",\"seq\":" + m.seq() + "}],\"dropped\":0,\"lagged\":0}"));
        assertThat(Fixture.s(Envelope.encode(Drained.EMPTY))).isEqualTo(Envelope.EMPTY);
        assertThat(Fixture.s(bus.post("env.t", PayloadMapper.map("1"), source, Instant.parse("2026-01-01T00:00:00Z")).json()))
                .contains("\"timestamp\":\"2026-01-01T00:00:00Z\"");
    }
}
