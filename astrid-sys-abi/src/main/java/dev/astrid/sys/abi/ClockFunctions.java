package dev.astrid.sys.abi;

/** The clock family. */
public interface ClockFunctions {
    /** {@code astrid_clock_ms}: decimal ASCII milliseconds since the Unix epoch. */
    byte[] clockMs();
}
