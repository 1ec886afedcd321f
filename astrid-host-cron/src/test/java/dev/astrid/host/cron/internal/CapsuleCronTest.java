package dev.astrid.host.cron.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.tck.ManualClock;
import dev.astrid.host.tck.TestCapsule;
import dev.astrid.sys.abi.GuestExports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the contract cannot see from outside: deferred fires, the retry before the module exists, the job file. */
class CapsuleCronTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(START);
    private final Scheduler scheduler = new Scheduler();

    CapsuleCronTest() {
        clock.onChange(scheduler::wake);
    }

    @AfterEach
    void close() {
        scheduler.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Due times seen by a trigger, with a wait for them. */
    private static final class Seen {
        private final List<Instant> dues = new ArrayList<>();

        synchronized void add(Instant due) {
            dues.add(due);
            notifyAll();
        }

        synchronized List<Instant> await(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (dues.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + n + " fires within 30 s, got " + dues);
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return List.copyOf(dues);
        }
    }

    /** Waits until the scheduler has moved job "slow" to a time (it runs on its own thread). */
    private static void awaitNext(CapsuleCron cron, Instant next) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!cron.nextFire("slow").equals(java.util.Optional.of(next))) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("job slow not moved to " + next + " within 30 s: " + cron.nextFire("slow"));
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void aFireDueWhileTheSameJobRunsWaitsForItAndFurtherOnesAreSkipped() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Seen dues = new Seen();
        AtomicInteger active = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        TestCapsule[] self = new TestCapsule[1];
        self[0] = new TestCapsule.Host(dir).capsule("slow").clock(clock).exports(List.of(GuestExports.CRON_TRIGGER), (e, in) -> {
            most.accumulateAndGet(active.incrementAndGet(), Math::max);
            dues.add(self[0].currentInvocation().caller().timestamp());
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            active.decrementAndGet();
            return new byte[0];
        }).build();
        CapsuleCron cron = CapsuleCron.bind(self[0], clock, scheduler);
        cron.cronSchedule(b("slow"), b("@every 10s"), new byte[0]);
        clock.advance(Duration.ofSeconds(10));
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofSeconds(10)); // due while the first runs: deferred
        awaitNext(cron, START.plusSeconds(30));
        clock.advance(Duration.ofSeconds(10)); // due again: skipped, one is already waiting
        awaitNext(cron, START.plusSeconds(40));
        release.countDown();
        dues.await(2);
        clock.advance(Duration.ofSeconds(10));
        assertThat(dues.await(3)).containsExactly(START.plusSeconds(10), START.plusSeconds(20), START.plusSeconds(40));
        assertThat(most.get()).as("fires never overlap").isEqualTo(1);
    }

    @Test
    void aFireBeforeTheModuleIsInstantiatedIsTriedAgain() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Seen dues = new Seen();
        TestCapsule[] self = new TestCapsule[1];
        TestCapsule c = new TestCapsule.Host(dir).capsule("early").clock(clock)
                .exports(List.of(GuestExports.CRON_TRIGGER), (e, in) -> {
                    dues.add(self[0].currentInvocation().caller().timestamp());
                    if (attempts.incrementAndGet() == 1) {
                        // What a host's capsule answers between bind and instantiation.
                        throw new GuestCallException(GuestCallException.Kind.UNLOADED, "capsule early is not loaded");
                    }
                    return new byte[0];
                }).build();
        self[0] = c;
        CapsuleCron first = CapsuleCron.bind(c, clock, scheduler);
        first.cronSchedule(b("job"), b("@every 1m"), new byte[0]);
        first.close();
        clock.advance(Duration.ofMinutes(5));
        CapsuleCron.bind(c, clock, scheduler); // the catch-up fire is due at once
        assertThat(dues.await(2)).as("the same fire, tried again").containsExactly(START.plusSeconds(60), START.plusSeconds(60));
        assertThat(c.calls()).hasSize(2);
    }

    @Test
    void jobsLiveInAJsonFileAndAnUnreadableOneIsDropped() throws Exception {
        TestCapsule c = new TestCapsule.Host(dir).capsule("filed").clock(clock)
                .exports(List.of(GuestExports.CRON_TRIGGER), (e, in) -> new byte[0]).build();
        Path file = c.capsuleDataDir().resolve(JobStore.FILE);
        Files.writeString(file, "{not json");
        CapsuleCron cron = CapsuleCron.bind(c, clock, scheduler);
        cron.cronSchedule(b("job"), b("@every 1m"), b("payload"));
        assertThat(Files.readString(file)).contains("\"name\":\"job\"").contains("\"schedule\":\"@every 1m\"")
                .contains("\"next\":" + START.plusSeconds(60).toEpochMilli());
        cron.cronCancel(b("job"));
        assertThat(Files.readString(file)).doesNotContain("\"job\"");
        assertThat(c.capsuleDataDir().resolve(JobStore.FILE + ".tmp")).doesNotExist();
    }
}
