package dev.astrid.engine;

/**
 * Where the Extism {@code log_*} imports go, and which level the guest is told is enabled.
 */
public interface KernelLog {
    /** Extism's numeric levels: trace=0 … error=4; {@link #OFF} disables everything. */
    int TRACE = 0;
    /** Debug level. */
    int DEBUG = 1;
    /** Info level. */
    int INFO = 2;
    /** Warn level. */
    int WARN = 3;
    /** Error level. */
    int ERROR = 4;
    /** No logging: the value Extism's Rust runtime reports as "off". */
    int OFF = Integer.MAX_VALUE;

    /** The lowest level that is written; messages below it are dropped before they are read. */
    int level();

    /** Writes one guest message at a level (one of the constants above). */
    void log(int level, String message);
}
