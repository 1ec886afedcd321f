package dev.astrid.host.cron.internal;

import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.sys.abi.AbiFunction;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The provider settings the cron family reads, validated.
 *
 * @param maxJobs jobs one capsule may have scheduled with {@code astrid_cron_schedule}
 *     ({@code cron.max-jobs}); its {@code [[cron]]} entries are bounded by the same number apart
 * @param maxPayload the largest payload of one job, in bytes ({@code cron.max-payload-bytes})
 * @param timeout how long one {@code astrid_cron_trigger} call may run ({@code cron.timeout-ms})
 * @param zone the time zone cron expressions are read in ({@code cron.zone})
 */
public record CronSettings(int maxJobs, int maxPayload, Duration timeout, ZoneId zone) {

    static final String MAX_JOBS = "cron.max-jobs";
    static final String MAX_PAYLOAD = "cron.max-payload-bytes";
    static final String TIMEOUT_MS = "cron.timeout-ms";
    static final String ZONE = "cron.zone";

    /** The defaults: 64 jobs, 64 KiB payloads, 10 s per fire (the host's call timeout), UTC. */
    public static final CronSettings DEFAULTS = new CronSettings(64, 64 * 1024, Duration.ofSeconds(10), ZoneOffset.UTC);

    /**
     * Reads the settings.
     *
     * @throws HostException naming the setting when a value is malformed or out of range
     */
    public static CronSettings from(ProviderSettings s) {
        long jobs = range(s, MAX_JOBS, DEFAULTS.maxJobs, 1, 4096);
        long payload = range(s, MAX_PAYLOAD, DEFAULTS.maxPayload, 0, PayloadLimits.maxArgument(AbiFunction.CRON_SCHEDULE, 2));
        long timeout = range(s, TIMEOUT_MS, DEFAULTS.timeout.toMillis(), 1, 3_600_000);
        ZoneId zone;
        String z = s.get(ZONE, "UTC");
        try {
            zone = ZoneId.of(z.trim());
        } catch (DateTimeException e) {
            throw new HostException("setting " + ZONE + " must be a time zone such as UTC or Europe/Paris, got '" + z + "'");
        }
        return new CronSettings((int) jobs, (int) payload, Duration.ofMillis(timeout), zone);
    }

    private static long range(ProviderSettings s, String key, long dflt, long min, long max) {
        long v = s.getLong(key, dflt);
        if (v < min || v > max) {
            throw new HostException("setting " + key + " must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }
}
