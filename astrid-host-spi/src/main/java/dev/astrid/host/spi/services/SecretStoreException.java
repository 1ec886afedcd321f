package dev.astrid.host.spi.services;

/** A secret store could not do what was asked; the message says why, without the value. */
public class SecretStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message. */
    public SecretStoreException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public SecretStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
