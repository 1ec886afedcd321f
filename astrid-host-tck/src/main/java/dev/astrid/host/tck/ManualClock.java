package dev.astrid.host.tck;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock that stands still until a test moves it, and tells listeners when it does (a scheduler
 * that sleeps in real time is woken that way). Thread-safe; its zone is UTC.
 */
public final class ManualClock extends Clock {
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile Instant now;

    /** A clock showing a fixed instant. */
    public ManualClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    /** Moves the clock forward (or back, for a negative duration), then runs the listeners. */
    public void advance(Duration d) {
        synchronized (this) {
            now = now.plus(d);
        }
        listeners.forEach(Runnable::run);
    }

    /** Runs an action every time the clock is moved. */
    public void onChange(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** This clock, read in another zone (the same instant, moved together). */
    @Override
    public Clock withZone(ZoneId zone) {
        ManualClock self = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return self.withZone(other);
            }

            @Override
            public Instant instant() {
                return self.instant();
            }
        };
    }
}
