package dev.astrid.host.identity;

/** An argument broke a rule, e.g. a blank platform or a display name containing {@code /}. */
public final class InvalidIdentityException extends IdentityException {
    private static final long serialVersionUID = 1L;

    /** An error with its reason. */
    public InvalidIdentityException(String message) {
        super(message, null);
    }
}
