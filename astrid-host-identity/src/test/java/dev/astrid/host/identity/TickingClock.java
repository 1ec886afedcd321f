package dev.astrid.host.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that starts at a given instant and moves one step forward every time it is read. */
public final class TickingClock extends Clock {
    private final Instant start;
    private final long stepNanos;
    private final AtomicLong reads = new AtomicLong();

    /** A clock at {@code start} that advances by {@code step} per read. */
    public TickingClock(Instant start, Duration step) {
        this.start = start;
        this.stepNanos = step.toNanos();
    }

    /** What the next read will answer, without reading. */
    public Instant peek() {
        return start.plusNanos(stepNanos * reads.get());
    }

    @Override
    public Instant instant() {
        return start.plusNanos(stepNanos * reads.getAndIncrement());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test clock stays in UTC");
    }
}
