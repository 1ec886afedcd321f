/**
 * The cron family of host functions: {@code astrid_cron_schedule} and {@code astrid_cron_cancel}.
 *
 * <p>A capsule names jobs on 5-field cron expressions or {@code @every} intervals; when one is due
 * the host calls the capsule's {@code astrid_cron_trigger} export with the job's name and payload.
 * Jobs are kept in the capsule's data directory and resume when it is loaded again; the
 * {@code [[cron]]} entries of its manifest are scheduled at load. The formats, every limit and the
 * differences from upstream Astrid (where both functions did nothing) are written down in
 * {@code docs/families/cron.md}.
 *
 * <p>{@code requires transitive} on the SPI because {@link dev.astrid.host.cron.CronProvider}, part
 * of the exported API, is a {@code HostProvider}.
 */
module dev.astrid.host.cron {
    requires transitive dev.astrid.host.spi;
    requires dev.astrid.sys.abi;
    requires com.google.gson;
    requires com.cronutils;
    // cron-utils (an automatic module) logs through SLF4J: without this line nothing would put the
    // SLF4J API in the module graph and its classes would not load.
    requires org.slf4j;

    exports dev.astrid.host.cron;

    provides dev.astrid.host.spi.HostProvider with dev.astrid.host.cron.CronProvider;
}
