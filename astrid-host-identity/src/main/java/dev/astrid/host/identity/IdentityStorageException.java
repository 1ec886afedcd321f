package dev.astrid.host.identity;

/** The database failed, could not be opened, or the store is closed. Nothing was half-written. */
public final class IdentityStorageException extends IdentityException {
    private static final long serialVersionUID = 1L;

    /** An error with its reason. */
    public IdentityStorageException(String message) {
        super(message, null);
    }

    /** An error with its reason and the exception behind it. */
    public IdentityStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
