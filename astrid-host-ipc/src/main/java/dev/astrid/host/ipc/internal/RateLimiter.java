package dev.astrid.host.ipc.internal;

import dev.astrid.host.spi.HostException;
import java.time.Clock;

/**
 * Per-capsule publish limits (docs/families/ipc.md, publish check 2), checked on the payload's raw length before it
 * is read: one payload at most 5 MiB, and at most 10 MiB in each fixed one-second window. Quota is
 * taken even if a later check refuses the message, as upstream does.
 */
final class RateLimiter {
    static final long MAX_SINGLE = Bus.MAX_PAYLOAD;
    static final long WINDOW_BUDGET = 10L * 1024 * 1024;
    static final long WINDOW_MILLIS = 1000;

    private final Clock clock;
    private boolean started;
    private long windowStart;
    private long used;

    RateLimiter(Clock clock) {
        this.clock = clock;
    }

    synchronized void acquire(long bytes) {
        if (bytes > MAX_SINGLE) {
            throw new HostException("Payload too large: " + bytes + " bytes exceeds the limit of " + MAX_SINGLE + " bytes");
        }
        long now = clock.millis();
        // A clock that steps back also starts a new window, so a wall-clock change cannot lock a capsule out.
        if (!started || now - windowStart >= WINDOW_MILLIS || now < windowStart) {
            started = true;
            windowStart = now;
            used = 0;
        }
        if (used + bytes > WINDOW_BUDGET) {
            throw new HostException("Rate limit exceeded: " + used + " of " + WINDOW_BUDGET
                    + " bytes already published in this one-second window");
        }
        used += bytes;
    }
}
