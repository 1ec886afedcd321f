package dev.astrid.sys.abi;

/** The secrets family. Values never cross into the guest. */
public interface SecretFunctions {
    /** {@code astrid_has_secret}: JSON {@code {"exists":..}} for a JSON {@code {"key":..}}. */
    byte[] hasSecret(byte[] request);
}
