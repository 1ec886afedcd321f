package dev.astrid.host.identity;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An Astrid user.
 *
 * @param id the user's id, a random UUID
 * @param displayName the name given at creation, if any
 * @param createdAt when the user was created
 */
public record AstridUser(UUID id, Optional<String> displayName, Instant createdAt) {
    /** Checks that no component is null (an absent display name is an empty {@code Optional}). */
    public AstridUser {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
