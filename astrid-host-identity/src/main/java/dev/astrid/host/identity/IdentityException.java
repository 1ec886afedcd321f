package dev.astrid.host.identity;

/**
 * Why an {@link IdentityStore} operation failed. The set is closed: bad input, an unknown user,
 * or a storage failure. Messages are written for a capsule author and never echo long input.
 */
public abstract sealed class IdentityException extends RuntimeException
        permits InvalidIdentityException, UserNotFoundException, IdentityStorageException {
    private static final long serialVersionUID = 1L;

    IdentityException(String message, Throwable cause) {
        super(message, cause);
    }
}
