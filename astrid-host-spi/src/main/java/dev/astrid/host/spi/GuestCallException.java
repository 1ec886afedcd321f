package dev.astrid.host.spi;

/** A call into a capsule's export did not produce an output. The message says why. */
public final class GuestCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The ways a guest call ends without output. */
    public enum Kind {
        /** The guest set an error with {@code error_set} or returned a non-zero code. */
        GUEST_ERROR,
        /** The guest trapped (unreachable, out-of-bounds access, stack exhaustion). */
        TRAP,
        /** A host function ended the call with a {@link HostException}. */
        HOST_ERROR,
        /** The call ran past its timeout and was interrupted. */
        TIMEOUT,
        /** The guest's or the kernel's memory limit was reached. */
        OUT_OF_MEMORY,
        /** The export does not exist or has the wrong type. */
        NO_SUCH_EXPORT,
        /** The capsule was unloaded or is being unloaded. */
        UNLOADED,
        /** The call would re-enter a capsule that is already running on this thread. */
        REENTRANT
    }

    /** What kind of failure this is (serialized with the exception). */
    private final Kind kind;

    /** A failed call of a kind, with a reason. */
    public GuestCallException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** A failed call of a kind, with a reason and its cause. */
    public GuestCallException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** How the call failed. */
    public Kind kind() {
        return kind;
    }
}
