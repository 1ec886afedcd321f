package dev.astrid.reference.kernel;

/**
 * A failure raised inside a host function (a kernel import or an {@code astrid_*} function) that
 * ends the guest's call. Its message is complete and starts with the function's name.
 */
public final class KernelTrap extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A trap with a complete message. */
    public KernelTrap(String message) {
        super(message);
    }

    /** A trap with a complete message and the exception behind it. */
    public KernelTrap(String message, Throwable cause) {
        super(message, cause);
    }
}
