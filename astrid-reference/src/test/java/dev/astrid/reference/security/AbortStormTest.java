package dev.astrid.reference.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.GuestCallException.Kind;
import dev.astrid.host.spi.Invocation;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.TestHosts;
import dev.astrid.engine.EngineOptions;
import dev.astrid.engine.KernelLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten thousand failed calls of every kind — trap, timeout, host error, out of memory — on one
 * capsule (guest {@code storm}): afterwards the heap (after collection), the threads and the open
 * files are where they were, and the capsule answers a normal call with its stack pointer where it
 * started.
 */
class AbortStormTest {
    private static final int STORM = 10_000;
    /** Heap the storm may leave behind: about 1.6 KiB per failed call would exceed it. */
    private static final long HEAP_TOLERANCE = 16L * 1024 * 1024;
    private static final Duration SPIN_TIMEOUT = Duration.ofMillis(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The storm's failure modes, the export that causes each, and how each must end. */
    private enum Mode {
        TRAP("trap", Kind.TRAP), HOST_ERROR("host_error", Kind.HOST_ERROR), OOM("oom", Kind.OUT_OF_MEMORY),
        TIMEOUT("spin", Kind.TIMEOUT);

        final String export;
        final Kind kind;

        Mode(String export, Kind kind) {
            this.export = export;
            this.kind = kind;
        }
    }

    @TempDir
    Path dir;

    @Test
    void tenThousandFailedCallsLeaveHeapThreadsAndFilesFlatAndTheCapsuleAnswering() throws Exception {
        // A small kernel memory cap makes "out of memory" cheap to reach.
        EngineOptions engine = new EngineOptions(false, 64L * 1024 * 1024, new KernelLimits(1024 * 1024, 64 * 1024),
                16L * 1024 * 1024);
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).engine(engine).build())) {
            LoadedCapsule capsule = TestHosts.loadBare(host, "storm");
            storm(capsule, STORM / 10); // warm-up: classes, code caches, lazily made threads
            assertThat(answer(capsule)).as("after the warm-up").matches("[0-9]+");

            long heapBefore = Probes.heapAfterGc();
            Set<Long> threadsBefore = Probes.threadIds();
            int fdsBefore = Probes.openFds().size();
            Map<Mode, Integer> failed = storm(capsule, STORM);
            long heapAfter = Probes.heapAfterGc();

            assertThat(failed.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(STORM);
            for (Mode m : Mode.values()) {
                assertThat(failed.get(m)).as(m + " calls").isGreaterThanOrEqualTo(STORM / 10);
            }
            System.out.printf("abort storm: %d failed calls %s; heap after GC %d KiB -> %d KiB (%+d KiB)%n", STORM, failed,
                    heapBefore / 1024, heapAfter / 1024, (heapAfter - heapBefore) / 1024);
            assertThat(heapAfter - heapBefore).as("heap growth after GC over %d failed calls", STORM)
                    .isLessThan(HEAP_TOLERANCE);
            assertThat(Probes.threadsLeftSince(threadsBefore, Duration.ofSeconds(10))).as("threads started by the storm").isEmpty();
            assertThat(Probes.await(Duration.ofSeconds(10), () -> Probes.openFds().size() <= fdsBefore))
                    .as("open files back to %d (now %s)", fdsBefore, Probes.openFds()).isTrue();
            assertThat(answer(capsule)).as("a correct call after the storm").matches("[0-9]+");
        }
    }

    /** Calls the failure exports in turn; every call must fail the way its mode says. */
    private static Map<Mode, Integer> storm(LoadedCapsule capsule, int calls) {
        Map<Mode, Integer> failed = new EnumMap<>(Mode.class);
        List<Mode> cycle = List.of(Mode.TRAP, Mode.HOST_ERROR, Mode.OOM, Mode.TRAP, Mode.HOST_ERROR, Mode.OOM,
                Mode.TRAP, Mode.HOST_ERROR, Mode.OOM, Mode.TIMEOUT);
        for (int i = 0; i < calls; i++) {
            Mode m = cycle.get(i % cycle.size());
            try {
                capsule.call(m.export, new byte[0], Invocation.Caller.NONE, m == Mode.TIMEOUT ? SPIN_TIMEOUT : TIMEOUT);
                throw new AssertionError("call " + i + " (" + m.export + ") succeeded");
            } catch (GuestCallException e) {
                if (e.kind() != m.kind) {
                    throw new AssertionError("call " + i + " (" + m.export + ") ended as " + e.kind() + ", expected "
                            + m.kind + ": " + e.getMessage(), e);
                }
                if (m == Mode.HOST_ERROR) {
                    assertThat(e).hasMessageStartingWith("astrid_kv_get: ");
                }
            }
            failed.merge(m, 1, Integer::sum);
        }
        return failed;
    }

    private static String answer(LoadedCapsule capsule) {
        return new String(capsule.call("ok", new byte[0], Invocation.Caller.NONE, TIMEOUT), StandardCharsets.US_ASCII);
    }
}
