package dev.astrid.reference.host;

import dev.astrid.engine.KernelLog;

/**
 * Sends a guest's Extism log lines to a {@link System.Logger}: in the host, the capsule's
 * {@link CapsuleLogger}, so {@code log_*} lines are escaped, cut and rate-limited together with
 * {@code astrid_log}.
 */
public final class LoggerKernelLog implements KernelLog {
    private final System.Logger logger;
    private final int level;

    /** Logs to a logger, telling guests that {@code level} and above are enabled. */
    public LoggerKernelLog(System.Logger logger, int level) {
        this.logger = logger;
        this.level = level;
    }

    @Override
    public int level() {
        return level;
    }

    @Override
    public void log(int lvl, String message) {
        logger.log(toSystem(lvl), message);
    }

    /** Maps an Extism level number to a {@link System.Logger.Level}. */
    public static System.Logger.Level toSystem(int lvl) {
        switch (lvl) {
            case TRACE: return System.Logger.Level.TRACE;
            case DEBUG: return System.Logger.Level.DEBUG;
            case WARN: return System.Logger.Level.WARNING;
            case ERROR: return System.Logger.Level.ERROR;
            default: return System.Logger.Level.INFO;
        }
    }
}
