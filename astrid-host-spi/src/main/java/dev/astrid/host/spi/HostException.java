package dev.astrid.host.spi;

/**
 * The one error a host function reports. It ends the guest's call as a trap, and the host puts
 * the function's name in front of the message: {@code astrid_fs_stat: stat failed: no such file}.
 *
 * <p>The message is the reason only, written for the capsule's author, without the function name.
 *
 * <p>One failure is told apart: a stream whose peer has gone away ({@link #peerClosed}). The seed
 * wire traps on it like on any error, but later SDK profiles answer it with a sentinel instead
 * (docs/profiles.md), so a provider of the net family reports it with {@link #peerClosed(String, Throwable)}.
 */
public final class HostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean peerClosed;

    /** An error with a reason. */
    public HostException(String reason) {
        this(reason, null, false);
    }

    /** An error with a reason and the exception behind it (kept for the host's log only). */
    public HostException(String reason, Throwable cause) {
        this(reason, cause, false);
    }

    private HostException(String reason, Throwable cause, boolean peerClosed) {
        super(reason, cause);
        this.peerClosed = peerClosed;
    }

    /**
     * The peer of a stream closed it, reset it or stopped reading (end of stream, connection reset,
     * broken pipe): what a stream read or write reports when the other side is gone.
     *
     * @param cause the I/O error behind it, or null
     */
    public static HostException peerClosed(String reason, Throwable cause) {
        return new HostException(reason, cause, true);
    }

    /** Whether the failure is a stream's peer having gone away (see {@link #peerClosed(String, Throwable)}). */
    public boolean isPeerClosed() {
        return peerClosed;
    }
}
