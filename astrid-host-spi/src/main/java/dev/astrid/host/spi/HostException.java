package dev.astrid.host.spi;

/**
 * The one error a host function reports. It ends the guest's call as a trap, and the host puts
 * the function's name in front of the message: {@code astrid_fs_stat: stat failed: no such file}.
 *
 * <p>The message is the reason only, written for the capsule's author, without the function name.
 */
public final class HostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error with a reason. */
    public HostException(String reason) {
        super(reason);
    }

    /** An error with a reason and the exception behind it (kept for the host's log only). */
    public HostException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
