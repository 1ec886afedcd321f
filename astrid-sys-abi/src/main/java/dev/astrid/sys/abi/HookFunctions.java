package dev.astrid.sys.abi;

/** The hook family. */
public interface HookFunctions {
    /** {@code astrid_trigger_hook}: runs a hook on other capsules and returns their answers. */
    byte[] triggerHook(byte[] eventBytes);
}
