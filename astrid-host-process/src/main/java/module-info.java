/**
 * The process family of the Astrid host: {@code astrid_spawn_host}, {@code astrid_spawn_background_host},
 * {@code astrid_read_process_logs_host} and {@code astrid_kill_process_host}.
 *
 * <p>{@link dev.astrid.host.process.ProcessProvider} runs the commands a capsule's
 * {@code host_process} capability names, with arguments as a list (never through a shell), in the
 * capsule's workspace, with a minimal environment, bounded output and a timeout; inside bubblewrap
 * when the host has it. The implementation is internal.
 */
module dev.astrid.host.process {
    // Transitive: ProcessProvider, part of the exported API, implements an SPI type.
    requires transitive dev.astrid.host.spi;
    requires dev.astrid.sys.abi;
    requires com.google.gson;

    exports dev.astrid.host.process;

    provides dev.astrid.host.spi.HostProvider with dev.astrid.host.process.ProcessProvider;
}
