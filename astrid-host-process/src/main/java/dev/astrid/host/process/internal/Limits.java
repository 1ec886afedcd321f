package dev.astrid.host.process.internal;

import java.time.Duration;

/**
 * What one capsule's processes may cost.
 *
 * @param timeout how long {@code astrid_spawn_host} waits for its command before it kills the tree
 * @param maxOutputBytes bytes kept per stream: the first ones of a foreground command, the last
 *     ones of a background command since the previous read
 * @param maxBackground background processes a capsule may hold at once (exited ones count until killed)
 */
public record Limits(Duration timeout, int maxOutputBytes, int maxBackground) {
    /** {@code astrid_spawn_host}'s default timeout: 60 s. */
    public static final long DEFAULT_TIMEOUT_MS = 60_000;
    /** The default bytes kept per stream: 1 MiB. */
    public static final int DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
    /** The default number of background processes per capsule: 8, as upstream. */
    public static final int DEFAULT_MAX_BACKGROUND = 8;
    /** The defaults. */
    public static final Limits DEFAULT = new Limits(Duration.ofMillis(DEFAULT_TIMEOUT_MS), DEFAULT_MAX_OUTPUT_BYTES,
            DEFAULT_MAX_BACKGROUND);
}
