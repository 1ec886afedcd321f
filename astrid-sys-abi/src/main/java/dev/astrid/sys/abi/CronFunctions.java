package dev.astrid.sys.abi;

/** The cron family: jobs that call the capsule back on a schedule. */
public interface CronFunctions {
    /** {@code astrid_cron_schedule}: schedules (or replaces) a named job with a payload. */
    void cronSchedule(byte[] name, byte[] schedule, byte[] payload);

    /** {@code astrid_cron_cancel}: cancels a named job. */
    void cronCancel(byte[] name);
}
