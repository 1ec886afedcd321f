package dev.astrid.reference.capsule;

/** A {@code Capsule.toml} that cannot be used; the message names the file and what is wrong. */
public final class ManifestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error with a complete message. */
    public ManifestException(String message) {
        super(message);
    }

    /** An error with a complete message and its cause. */
    public ManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
