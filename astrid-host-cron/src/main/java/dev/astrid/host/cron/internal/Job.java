package dev.astrid.host.cron.internal;

import java.time.Instant;

/**
 * One scheduled job. Its mutable fields are guarded by the {@link Scheduler}'s lock.
 */
final class Job {
    /** Where a job came from; the two kinds have separate names. */
    enum Kind {
        /** Scheduled with {@code astrid_cron_schedule}. */
        GUEST,
        /** A {@code [[cron]]} entry of the manifest. */
        MANIFEST
    }

    final Kind kind;
    final String name;
    final Schedule schedule;
    final byte[] payload;
    /** The name the fire sends: the job's name, or a manifest entry's action. */
    final String fireName;
    /** When it fires next. */
    Instant next;
    /** Queued or running: a fire due meanwhile is deferred until it is done. */
    boolean pending;
    /** The due time of the one fire deferred while this job's previous fire was pending, or null. */
    Instant deferred;
    /** Cancelled, replaced or unloaded: a queued fire of it is dropped. */
    boolean gone;

    Job(Kind kind, String name, Schedule schedule, byte[] payload, String fireName, Instant next) {
        this.kind = kind;
        this.name = name;
        this.schedule = schedule;
        this.payload = payload;
        this.fireName = fireName;
        this.next = next;
    }

    String describe() {
        return (kind == Kind.MANIFEST ? "[[cron]] entry '" : "cron job '") + name + "'";
    }
}
