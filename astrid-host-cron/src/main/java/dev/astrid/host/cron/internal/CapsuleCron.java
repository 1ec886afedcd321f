package dev.astrid.host.cron.internal;

import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.GuestText;
import dev.astrid.host.spi.HookInput;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.PrintableText;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.sys.abi.CronFunctions;
import dev.astrid.sys.abi.GuestExports;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cron family bound to one capsule: its jobs (those it scheduled and its {@code [[cron]]}
 * entries), their file, and the queue of its fires, which run one at a time.
 */
public final class CapsuleCron implements CronFunctions, AutoCloseable {
    /** The longest job name in UTF-8 bytes, as the ABI's bound on the argument. */
    static final int MAX_NAME = 256;
    /** How soon a fire is tried again when the capsule was still being instantiated. */
    static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private static final System.Logger.Level WARN = System.Logger.Level.WARNING;

    /** One fire: a job and the time it was due. */
    private record Fire(Job job, Instant due) {}

    private final CapsuleContext ctx;
    private final Clock clock;
    private final CronSettings settings;
    private final Scheduler scheduler;
    private final ReentrantLock lock;
    private final JobStore store;
    // Guarded by lock.
    private final Map<String, Job> guestJobs = new LinkedHashMap<>();
    private final Map<String, Job> manifestJobs = new LinkedHashMap<>();
    private final ArrayDeque<Fire> queue = new ArrayDeque<>();
    private boolean draining;
    private long retryAt;
    private boolean retrying;
    private boolean closed;

    private CapsuleCron(CapsuleContext ctx, Clock clock, CronSettings settings, Scheduler scheduler) {
        this.ctx = ctx;
        this.clock = clock;
        this.settings = settings;
        this.scheduler = scheduler;
        this.lock = scheduler.lock();
        this.store = new JobStore(ctx.capsuleDataDir());
    }

    /**
     * Binds the family for a capsule: schedules its {@code [[cron]]} entries, resumes the jobs kept
     * in its data directory, and registers with the scheduler.
     *
     * @param clock the clock its jobs are timed by
     * @throws HostException naming the setting or the {@code [[cron]]} entry that is wrong
     */
    public static CapsuleCron bind(CapsuleContext ctx, Clock clock, Scheduler scheduler) {
        CapsuleCron c = new CapsuleCron(ctx, clock, CronSettings.from(ctx.settings()), scheduler);
        c.load();
        scheduler.add(c);
        return c;
    }

    private void load() {
        Instant now = clock.instant();
        List<CapsuleManifest.Cron> entries = ctx.manifest().cron();
        if (entries.size() > settings.maxJobs()) {
            throw new HostException("the manifest has " + entries.size() + " [[cron]] entries, more than the "
                    + settings.maxJobs() + " a capsule may have (setting cron.max-jobs)");
        }
        List<JobStore.Stored> stored = readStore();
        Map<String, JobStore.Stored> storedManifest = new HashMap<>();
        for (JobStore.Stored s : stored) {
            if (s.kind() == Job.Kind.MANIFEST) {
                storedManifest.put(s.name(), s);
            }
        }
        for (CapsuleManifest.Cron e : entries) {
            String entry = "[[cron]] entry '" + PrintableText.escape(e.name()) + "'";
            try {
                checkName(GuestText.encode(e.name()));
            } catch (HostException ex) {
                throw new HostException(entry + ": " + ex.getMessage());
            }
            if (manifestJobs.containsKey(e.name())) {
                throw new HostException(entry + " appears twice in the manifest");
            }
            String cannot = cannotFire();
            if (cannot != null) {
                throw new HostException(entry + ": " + cannot);
            }
            Schedule s;
            try {
                s = Schedule.parse(e.schedule(), settings.zone(), now);
            } catch (IllegalArgumentException ex) {
                throw new HostException(entry + ": invalid schedule '" + PrintableText.escape(e.schedule()) + "': " + ex.getMessage());
            }
            JobStore.Stored before = storedManifest.get(e.name());
            // The same entry as last time keeps its next fire time, so a fire missed while down is made up once.
            Instant next = before != null && before.schedule().equals(s.text()) ? before.next() : s.first(now).orElseThrow();
            manifestJobs.put(e.name(), new Job(Job.Kind.MANIFEST, e.name(), s, new byte[0], e.action(), next));
        }
        boolean dropped = stored.stream().anyMatch(s -> s.kind() == Job.Kind.MANIFEST && !manifestJobs.containsKey(s.name()));
        for (JobStore.Stored s : stored) {
            if (s.kind() == Job.Kind.GUEST) {
                dropped |= !resume(s, now);
            }
        }
        if (dropped || !manifestJobs.isEmpty()) {
            save();
        }
    }

    /** Resumes a stored job; false (and a warning) when it cannot be. */
    private boolean resume(JobStore.Stored s, Instant now) {
        String why = cannotFire();
        Schedule schedule = null;
        if (why == null) {
            try {
                checkName(GuestText.encode(s.name()));
                schedule = Schedule.parse(s.schedule(), settings.zone(), now);
            } catch (HostException | IllegalArgumentException e) {
                why = e.getMessage();
            }
        }
        if (why == null && s.payload().length > settings.maxPayload()) {
            why = "its payload of " + s.payload().length + " bytes is over the limit of " + settings.maxPayload()
                    + " bytes (setting cron.max-payload-bytes)";
        }
        if (why == null && guestJobs.size() >= settings.maxJobs()) {
            why = "the capsule already has " + settings.maxJobs() + " jobs (setting cron.max-jobs)";
        }
        if (why != null) {
            ctx.logger().log(WARN, "cron job '" + PrintableText.escape(s.name()) + "' of " + ctx.capsuleId()
                    + " is not resumed: " + why);
            return false;
        }
        guestJobs.put(s.name(), new Job(Job.Kind.GUEST, s.name(), schedule, s.payload(), s.name(), s.next()));
        return true;
    }

    private List<JobStore.Stored> readStore() {
        try {
            return store.read();
        } catch (IOException e) {
            ctx.logger().log(WARN, "the cron jobs of " + ctx.capsuleId() + " in " + store.file()
                    + " cannot be read and are dropped: " + e.getMessage());
            return List.of();
        }
    }

    /** Why this capsule cannot have cron jobs, or null when it can. */
    private String cannotFire() {
        if (!ctx.self().hasExport(GuestExports.CRON_TRIGGER)) {
            return "capsule " + ctx.capsuleId() + " does not export " + GuestExports.CRON_TRIGGER
                    + ", which a cron job calls when it fires";
        }
        if (ctx.self().hasExport(GuestExports.RUN)) {
            return "capsule " + ctx.capsuleId() + " has a run loop, which holds the capsule for as long as it runs, so no"
                    + " cron fire could ever be called; a run loop keeps its own time (astrid_ipc_recv with a timeout)";
        }
        return null;
    }

    /** The job name, checked. */
    private static String checkName(byte[] name) {
        if (name.length == 0) {
            throw new HostException("the job name is empty");
        }
        if (name.length > MAX_NAME) {
            throw new HostException("the job name is " + name.length + " bytes, more than the limit of " + MAX_NAME + " bytes");
        }
        String s;
        try {
            s = GuestText.decodeStrict(name);
        } catch (IllegalArgumentException e) {
            throw new HostException("the job name is not valid UTF-8");
        }
        if (!PrintableText.escape(s).equals(s)) {
            throw new HostException("the job name '" + PrintableText.escape(s) + "' holds control or bidi characters; names are printable text");
        }
        return s;
    }

    @Override
    public void cronSchedule(byte[] name, byte[] schedule, byte[] payload) {
        String n = checkName(name);
        String text;
        try {
            text = GuestText.decodeStrict(schedule);
        } catch (IllegalArgumentException e) {
            throw new HostException("invalid schedule: not valid UTF-8");
        }
        if (payload.length > settings.maxPayload()) {
            throw new HostException("the payload is " + payload.length + " bytes, more than the limit of "
                    + settings.maxPayload() + " bytes (setting cron.max-payload-bytes)");
        }
        String cannot = cannotFire();
        if (cannot != null) {
            throw new HostException(cannot);
        }
        Instant now = clock.instant();
        Schedule s;
        try {
            s = Schedule.parse(text, settings.zone(), now);
        } catch (IllegalArgumentException e) {
            throw new HostException("invalid schedule '" + PrintableText.escape(text) + "': " + e.getMessage());
        }
        Job job = new Job(Job.Kind.GUEST, n, s, payload.clone(), n, s.first(now).orElseThrow());
        lock.lock();
        try {
            if (closed) {
                throw new HostException("capsule " + ctx.capsuleId() + " is unloading");
            }
            Job old = guestJobs.get(n);
            if (old == null && guestJobs.size() >= settings.maxJobs()) {
                throw new HostException("capsule " + ctx.capsuleId() + " already has " + settings.maxJobs()
                        + " jobs, the most it may have (setting cron.max-jobs); cancel one first");
            }
            guestJobs.put(n, job);
            try {
                store.write(allJobs());
            } catch (IOException e) {
                if (old == null) {
                    guestJobs.remove(n);
                } else {
                    guestJobs.put(n, old);
                }
                ctx.logger().log(WARN, "cannot save the cron jobs of " + ctx.capsuleId() + " to " + store.file(), e);
                throw new HostException("cannot save the job in the capsule's data directory (the host log says why)");
            }
            if (old != null) {
                old.gone = true;
            }
            scheduler.wake();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void cronCancel(byte[] name) {
        String n = checkName(name);
        lock.lock();
        try {
            Job old = guestJobs.remove(n);
            if (old == null) {
                return;
            }
            try {
                store.write(allJobs());
            } catch (IOException e) {
                guestJobs.put(n, old);
                ctx.logger().log(WARN, "cannot save the cron jobs of " + ctx.capsuleId() + " to " + store.file(), e);
                throw new HostException("cannot save the job list in the capsule's data directory (the host log says why)");
            }
            old.gone = true;
            scheduler.wake();
        } finally {
            lock.unlock();
        }
    }

    private List<Job> allJobs() {
        List<Job> all = new ArrayList<>(manifestJobs.values());
        all.addAll(guestJobs.values());
        return all;
    }

    /** Writes the job file, logging a failure (called by the scheduler, where no guest waits for an answer). */
    private void save() {
        try {
            store.write(allJobs());
        } catch (IOException e) {
            ctx.logger().log(WARN, "cannot save the cron jobs of " + ctx.capsuleId() + " to " + store.file(), e);
        }
    }

    /**
     * Queues the fires that are due and moves those jobs to their next time. Called by the scheduler
     * thread with the lock held.
     *
     * @return nanoseconds until this capsule next needs the scheduler
     */
    long dispatchDue() {
        if (closed) {
            return Scheduler.MAX_WAIT_NANOS;
        }
        Instant now = clock.instant();
        long wait = Scheduler.MAX_WAIT_NANOS;
        boolean moved = false;
        for (Job j : allJobs()) {
            if (!j.next.isAfter(now)) {
                if (j.pending && j.deferred == null) {
                    // Never alongside the previous fire: right after it.
                    j.deferred = j.next;
                } else if (j.pending) {
                    ctx.logger().log(WARN, j.describe() + " of " + ctx.capsuleId() + " was due at " + j.next
                            + " while its previous fire was still running and another one waited; this fire is skipped");
                } else {
                    j.pending = true;
                    queue.add(new Fire(j, j.next));
                }
                Optional<Instant> following = j.schedule.following(j.next, now);
                if (following.isEmpty()) {
                    ctx.logger().log(WARN, j.describe() + " of " + ctx.capsuleId() + " has no fire time left and is removed");
                    (j.kind == Job.Kind.GUEST ? guestJobs : manifestJobs).remove(j.name);
                    j.gone = true;
                } else {
                    j.next = following.get();
                }
                moved = true;
            }
            if (!j.gone) {
                wait = Math.min(wait, nanosBetween(now, j.next));
            }
        }
        if (moved) {
            save();
        }
        if (!queue.isEmpty() && !draining) {
            long left = retrying ? retryAt - System.nanoTime() : 0;
            if (left <= 0) {
                retrying = false;
                draining = true;
                scheduler.execute(this::drain);
            } else {
                wait = Math.min(wait, left);
            }
        }
        return wait;
    }

    private static long nanosBetween(Instant from, Instant to) {
        try {
            return Math.max(1, Duration.between(from, to).toNanos());
        } catch (ArithmeticException e) {
            return Scheduler.MAX_WAIT_NANOS;
        }
    }

    /** Runs the queued fires one after another, on a pool thread. */
    private void drain() {
        while (true) {
            Fire f;
            lock.lock();
            try {
                f = queue.peekFirst();
                if (closed || f == null) {
                    draining = false;
                    return;
                }
                if (f.job().gone) {
                    queue.pollFirst();
                    f.job().pending = false;
                    f.job().deferred = null;
                    continue;
                }
            } finally {
                lock.unlock();
            }
            if (!fire(f)) {
                lock.lock();
                try {
                    // The host binds the family before the module is instantiated: try again shortly.
                    retrying = true;
                    retryAt = System.nanoTime() + RETRY_NANOS;
                    draining = false;
                    scheduler.wake();
                } finally {
                    lock.unlock();
                }
                return;
            }
            lock.lock();
            try {
                queue.pollFirst();
                Job j = f.job();
                if (j.deferred != null && !j.gone) {
                    queue.addLast(new Fire(j, j.deferred));
                } else {
                    j.pending = false;
                }
                j.deferred = null;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Calls the capsule for one fire; false when the capsule cannot take calls yet. */
    private boolean fire(Fire f) {
        Job j = f.job();
        Invocation.Caller caller = new Invocation.Caller(null, null, null, f.due());
        try {
            ctx.self().call(GuestExports.CRON_TRIGGER, HookInput.encode(j.fireName, j.payload), caller, settings.timeout());
            ctx.logger().log(System.Logger.Level.DEBUG, () -> j.describe() + " of " + ctx.capsuleId() + " fired (due " + f.due() + ")");
        } catch (GuestCallException e) {
            if (e.kind() == GuestCallException.Kind.UNLOADED && ctx.self().isLoaded()) {
                return false;
            }
            ctx.logger().log(WARN, j.describe() + " of " + ctx.capsuleId() + " failed: " + e.getMessage());
        } catch (RuntimeException e) {
            ctx.logger().log(WARN, j.describe() + " of " + ctx.capsuleId() + " failed", e);
        }
        return true;
    }

    /** When a job the capsule scheduled fires next, if it has one of that name (for tests of this package). */
    Optional<Instant> nextFire(String name) {
        lock.lock();
        try {
            return Optional.ofNullable(guestJobs.get(name)).map(j -> j.next);
        } finally {
            lock.unlock();
        }
    }

    /** Stops the capsule's jobs (they stay in its data directory for its next load). */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (Job j : allJobs()) {
                j.gone = true;
            }
            queue.clear();
        } finally {
            lock.unlock();
        }
        scheduler.remove(this);
    }
}
