package dev.astrid.sys.abi;

/** The elicitation family, available while a capsule installs or upgrades. */
public interface ElicitFunctions {
    /** {@code astrid_elicit}: asks the user for a value described by a JSON request. */
    byte[] elicit(byte[] request);
}
