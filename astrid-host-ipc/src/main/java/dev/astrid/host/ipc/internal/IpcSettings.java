package dev.astrid.host.ipc.internal;

import dev.astrid.host.ipc.EventBus;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.ProviderSettings;
import java.time.Duration;

/**
 * The provider settings the IPC family reads, validated.
 *
 * @param queueCapacity messages one subscription queue holds ({@code ipc.queue-capacity})
 * @param queueMaxBytes payload bytes one subscription queue holds ({@code ipc.queue-max-bytes})
 * @param capsuleMaxBytes payload bytes all queues and the interceptor backlog of one capsule hold
 *     together ({@code ipc.capsule-max-bytes})
 * @param hookBacklog messages that may wait for a capsule's interceptors ({@code ipc.hook-backlog})
 * @param hookTimeout how long one interceptor call may run ({@code ipc.hook-timeout-ms})
 */
public record IpcSettings(int queueCapacity, long queueMaxBytes, long capsuleMaxBytes, int hookBacklog,
        Duration hookTimeout) {

    static final String QUEUE_CAPACITY = "ipc.queue-capacity";
    static final String QUEUE_MAX_BYTES = "ipc.queue-max-bytes";
    static final String CAPSULE_MAX_BYTES = "ipc.capsule-max-bytes";
    static final String HOOK_BACKLOG = "ipc.hook-backlog";
    static final String HOOK_TIMEOUT_MS = "ipc.hook-timeout-ms";

    /** The defaults. */
    public static final IpcSettings DEFAULTS = new IpcSettings(EventBus.DEFAULT_QUEUE_CAPACITY,
            Bus.DEFAULT_QUEUE_MAX_BYTES, Bus.DEFAULT_QUEUE_MAX_BYTES, 256, Duration.ofSeconds(10));

    /**
     * Reads the settings.
     *
     * @throws HostException naming the setting when a value is not an integer or out of range
     */
    public static IpcSettings from(ProviderSettings s) {
        long capacity = range(s, QUEUE_CAPACITY, DEFAULTS.queueCapacity, 1, 1 << 20);
        long maxBytes = range(s, QUEUE_MAX_BYTES, DEFAULTS.queueMaxBytes, Bus.MAX_PAYLOAD, 1L << 40);
        long capsuleBytes = range(s, CAPSULE_MAX_BYTES, DEFAULTS.capsuleMaxBytes, Bus.MAX_PAYLOAD, 1L << 40);
        long backlog = range(s, HOOK_BACKLOG, DEFAULTS.hookBacklog, 1, 1 << 16);
        long timeout = range(s, HOOK_TIMEOUT_MS, DEFAULTS.hookTimeout.toMillis(), 0, 24L * 3600 * 1000);
        return new IpcSettings((int) capacity, maxBytes, capsuleBytes, (int) backlog, Duration.ofMillis(timeout));
    }

    private static long range(ProviderSettings s, String key, long dflt, long min, long max) {
        long v = s.getLong(key, dflt);
        if (v < min || v > max) {
            throw new HostException("setting " + key + " must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }
}
