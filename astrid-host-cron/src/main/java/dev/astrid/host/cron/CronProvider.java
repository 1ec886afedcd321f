package dev.astrid.host.cron;

import dev.astrid.host.cron.internal.CapsuleCron;
import dev.astrid.host.cron.internal.Scheduler;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.FamilyProvider;
import dev.astrid.host.spi.TypedFamily;
import dev.astrid.sys.abi.CronFunctions;
import java.time.Clock;
import java.util.Objects;

/**
 * The built-in provider of the cron family: named jobs on 5-field cron expressions (read in UTC
 * unless {@code cron.zone} says otherwise), the usual {@code @hourly}-style macros, or
 * {@code @every <duration>}. When a job is due the host calls the capsule's
 * {@code astrid_cron_trigger} export with {@code {"name":"<job>","arguments":[<payload bytes>]}}
 * under the timeout of {@code cron.timeout-ms}; a capsule's fires run one at a time, and a fire
 * that comes due while the same job's previous one still runs is skipped. The {@code [[cron]]}
 * entries of the manifest are scheduled at load and fire with their {@code action} as the name.
 *
 * <p>Jobs are kept in the capsule's data directory ({@code cron-jobs.json}) and resume when the
 * capsule is loaded again; a job whose fire time passed while the capsule was not loaded fires
 * once, soon after the load, then keeps its schedule. {@link #bind} returns a binding that is also
 * {@link AutoCloseable}: closing it (at unload) stops the capsule's jobs.
 *
 * <p>One daemon thread per provider, running while a capsule is bound, sleeps until the earliest
 * fire. Settings: {@code cron.max-jobs} (64), {@code cron.max-payload-bytes} (65536),
 * {@code cron.timeout-ms} (10000), {@code cron.zone} (UTC). See {@code docs/families/cron.md}.
 */
public final class CronProvider implements FamilyProvider<CronFunctions> {
    private final Clock clock;
    private final Scheduler scheduler = new Scheduler();

    /** The provider the host finds with {@link java.util.ServiceLoader}: jobs are timed by each capsule's {@link CapsuleContext#clock()}. */
    public CronProvider() {
        this.clock = null;
    }

    /**
     * A provider whose jobs are all timed by one clock of the caller's, for instance one a test
     * moves by hand. The scheduler waits in real time, so after moving such a clock call
     * {@link #wake()} to have the jobs it made due fire.
     */
    public CronProvider(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return "astrid-host-cron";
    }

    @Override
    public TypedFamily<CronFunctions> typedFamily() {
        return TypedFamily.CRON;
    }

    @Override
    public CronFunctions bind(CapsuleContext capsule) {
        return CapsuleCron.bind(capsule, clock != null ? clock : capsule.clock(), scheduler);
    }

    /** Reads the clocks again at once and fires every job that is due (after a clock was moved). */
    public void wake() {
        scheduler.wake();
    }

    /** Stops the scheduler thread and every capsule's jobs (they stay in the data directories). */
    @Override
    public void close() {
        scheduler.close();
    }
}
