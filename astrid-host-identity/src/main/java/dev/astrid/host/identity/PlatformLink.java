package dev.astrid.host.identity;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A platform account linked to an Astrid user. A platform account has at most one link.
 *
 * @param platform the platform, normalized (trimmed, ASCII lowercase), e.g. {@code discord}
 * @param platformUserId the account's id on that platform, exactly as given
 * @param userId the Astrid user the account belongs to
 * @param linkedAt when the link was made (or last overwritten)
 * @param method how the link was established, e.g. {@code oauth} or {@code system}
 */
public record PlatformLink(String platform, String platformUserId, UUID userId, Instant linkedAt, String method) {
    /** Checks that no component is null. */
    public PlatformLink {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(platformUserId, "platformUserId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(linkedAt, "linkedAt");
        Objects.requireNonNull(method, "method");
    }
}
