package dev.astrid.sys.abi;

/** The cross-capsule capability family. */
public interface CapabilityFunctions {
    /** {@code astrid_check_capsule_capability}: whether another capsule holds a capability. */
    byte[] checkCapsuleCapability(byte[] request);
}
