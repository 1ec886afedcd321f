package dev.astrid.sys.abi;

/** The configuration family: the capsule's settings and who invoked it. */
public interface ConfigFunctions {
    /** {@code astrid_get_config}: the configured string for a key, or empty when unset. */
    byte[] getConfig(byte[] key);

    /** {@code astrid_get_caller}: JSON describing the user and session behind the current call. */
    byte[] getCaller();
}
