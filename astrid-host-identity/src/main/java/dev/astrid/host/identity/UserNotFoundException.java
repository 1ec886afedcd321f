package dev.astrid.host.identity;

import java.util.UUID;

/** The operation names an Astrid user the store does not have. */
public final class UserNotFoundException extends IdentityException {
    private static final long serialVersionUID = 1L;

    /** The id that was not found (serialized with the exception). */
    private final UUID userId;

    /** An error about one user id; the message is {@code user not found: <uuid>}, as upstream. */
    public UserNotFoundException(UUID userId) {
        super("user not found: " + userId, null);
        this.userId = userId;
    }

    /** The id that was not found. */
    public UUID userId() {
        return userId;
    }
}
