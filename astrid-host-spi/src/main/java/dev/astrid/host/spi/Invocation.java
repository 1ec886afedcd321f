package dev.astrid.host.spi;

import dev.astrid.sys.abi.GuestExports;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The export call a capsule is running, as host functions see it.
 *
 * @param export the export's name, e.g. {@code run} or {@code astrid_hook_trigger}
 * @param caller on whose behalf the call runs
 * @param deadlineNanos when the call times out, on the {@link System#nanoTime()} scale; empty
 *     when it has no timeout
 */
public record Invocation(String export, Caller caller, OptionalLong deadlineNanos) {

    /** No call is running on this thread. */
    public static final Invocation NONE = new Invocation("", Caller.NONE);

    /** Checks the fields. */
    public Invocation {
        Objects.requireNonNull(deadlineNanos, "deadlineNanos");
    }

    /** A call without a timeout. */
    public Invocation(String export, Caller caller) {
        this(export, caller, OptionalLong.empty());
    }

    /**
     * What is left of the call's time, never negative; empty when the call has no timeout. A host
     * function that waits (for a network answer, say) waits at most this long.
     */
    public Optional<Duration> remaining() {
        if (deadlineNanos.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(Math.max(0, deadlineNanos.getAsLong() - System.nanoTime())));
    }

    /** Whether this is an install or upgrade call, the only time a capsule may elicit input. */
    public boolean isLifecycle() {
        return GuestExports.INSTALL.equals(export) || GuestExports.UPGRADE.equals(export);
    }

    /**
     * Who caused a call. Every field may be null.
     *
     * @param userId the Astrid user behind the call
     * @param sessionId the user's session
     * @param sourceId the session id of the capsule whose message caused the call
     * @param timestamp when the causing message was published
     */
    public record Caller(String userId, String sessionId, UUID sourceId, Instant timestamp) {
        /** Nobody in particular: a call from the command line or the host itself. */
        public static final Caller NONE = new Caller(null, null, null, null);

        /** Whether every field is null. */
        public boolean isEmpty() {
            return userId == null && sessionId == null && sourceId == null && timestamp == null;
        }
    }
}
