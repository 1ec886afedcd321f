package dev.astrid.sys.abi;

/** The process family: native commands on the host, gated by the capsule's capabilities. */
public interface ProcessFunctions {
    /** {@code astrid_spawn_host}: runs a command to completion; returns its output as JSON. */
    byte[] spawnHost(byte[] cmdAndArgsJson);

    /** {@code astrid_spawn_background_host}: starts a command in the background; returns its id. */
    byte[] spawnBackgroundHost(byte[] request);

    /** {@code astrid_read_process_logs_host}: output gathered since the last read, and status. */
    byte[] readProcessLogsHost(byte[] request);

    /** {@code astrid_kill_process_host}: stops a background process and returns its last output. */
    byte[] killProcessHost(byte[] request);
}
