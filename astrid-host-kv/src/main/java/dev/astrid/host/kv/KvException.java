package dev.astrid.host.kv;

/** The KV store could not do what was asked; the message says why. */
public final class KvException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error with a reason. */
    public KvException(String message) {
        super(message);
    }

    /** An error with a reason and a cause. */
    public KvException(String message, Throwable cause) {
        super(message, cause);
    }
}
