package dev.astrid.engine.kernel;

/**
 * A failure raised inside a host function (a kernel import or an {@code astrid_*} function) that
 * ends the guest's call. Its message is complete and starts with the function's name.
 */
public final class KernelTrap extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean outOfMemory;

    /** A trap with a complete message. */
    public KernelTrap(String message) {
        this(message, null, false);
    }

    /** A trap with a complete message and the exception behind it. */
    public KernelTrap(String message, Throwable cause) {
        this(message, cause, false);
    }

    private KernelTrap(String message, Throwable cause, boolean outOfMemory) {
        super(message, cause);
        this.outOfMemory = outOfMemory;
    }

    /** A trap raised because kernel memory could not hold a result, reported as out of memory. */
    public static KernelTrap outOfMemory(String message) {
        return new KernelTrap(message, null, true);
    }

    /** Whether the host ran out of kernel memory for the guest (rather than the guest misbehaving). */
    public boolean outOfMemory() {
        return outOfMemory;
    }
}
