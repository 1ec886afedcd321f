package dev.astrid.sys.abi;

/**
 * The exports of a capsule that a host calls. Each is an Extism plugin function: it takes its
 * input through the kernel and returns an i32 status.
 */
public final class GuestExports {
    private GuestExports() {}

    /** The capsule's run loop, started once after install; it signals readiness and serves until unloaded. */
    public static final String RUN = "run";
    /** Called once, the first time a capsule version is loaded on a host. */
    public static final String INSTALL = "astrid_install";
    /** Called once when a newer version replaces an installed one; input {@code {"prev_version":"..."}}. */
    public static final String UPGRADE = "astrid_upgrade";
    /** Called for a hook or an interceptor the capsule subscribed to. */
    public static final String HOOK_TRIGGER = "astrid_hook_trigger";
    /** Called to run one of the capsule's tools. */
    public static final String TOOL_CALL = "astrid_tool_call";
    /** Called when one of the capsule's cron schedules fires. */
    public static final String CRON_TRIGGER = "astrid_cron_trigger";
}
