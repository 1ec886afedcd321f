package dev.astrid.sys.abi;

/** The logging family. */
public interface LogFunctions {
    /** {@code astrid_log}: writes a message at a level to the host's journal. */
    void log(byte[] level, byte[] message);
}
