package dev.astrid.host.net.internal;

import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.ProviderSettings;
import java.time.Duration;

/**
 * The provider settings the net family reads, validated.
 *
 * @param maxStreams open streams one capsule may hold ({@code net.max-streams})
 * @param maxListeners listeners one capsule may hold ({@code net.max-listeners})
 * @param writeTimeout how long a write may wait for the peer to take a frame, before one more
 *     millisecond per KiB of the frame ({@code net.write-timeout-ms})
 */
public record NetSettings(int maxStreams, int maxListeners, Duration writeTimeout) {

    static final String MAX_STREAMS = "net.max-streams";
    static final String MAX_LISTENERS = "net.max-listeners";
    static final String WRITE_TIMEOUT_MS = "net.write-timeout-ms";

    /** The defaults: 8 streams (upstream's cap), 8 listeners, 5 s plus 1 ms per KiB for a write. */
    public static final NetSettings DEFAULTS = new NetSettings(8, 8, Duration.ofSeconds(5));

    /**
     * Reads the settings.
     *
     * @throws HostException naming the setting when a value is not an integer or out of range
     */
    public static NetSettings from(ProviderSettings s) {
        long streams = range(s, MAX_STREAMS, DEFAULTS.maxStreams, 1, 1024);
        long listeners = range(s, MAX_LISTENERS, DEFAULTS.maxListeners, 1, 256);
        long write = range(s, WRITE_TIMEOUT_MS, DEFAULTS.writeTimeout.toMillis(), 1, 3_600_000);
        return new NetSettings((int) streams, (int) listeners, Duration.ofMillis(write));
    }

    private static long range(ProviderSettings s, String key, long dflt, long min, long max) {
        long v = s.getLong(key, dflt);
        if (v < min || v > max) {
            throw new HostException("setting " + key + " must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }
}
