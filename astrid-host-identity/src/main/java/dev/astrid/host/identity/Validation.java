package dev.astrid.host.identity;

import dev.astrid.host.spi.GuestText;
import dev.astrid.host.identity.internal.Text;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules every value must pass before it reaches the database. Field names in messages are
 * the JSON ones, because capsule authors are the ones who read them.
 */
final class Validation {
    private Validation() {}

    /** Trims and ASCII-lowercases a platform, then checks it. */
    static String platform(String raw) {
        Objects.requireNonNull(raw, "platform");
        String p = Text.asciiLowercase(Text.trim(raw));
        requireKeyPart("platform", p);
        return p;
    }

    /** Checks a platform user id; it is kept exactly as given. */
    static String platformUserId(String id) {
        Objects.requireNonNull(id, "platformUserId");
        requireKeyPart("platform_user_id", id);
        return id;
    }

    /** Checks a link method. */
    static String method(String method) {
        Objects.requireNonNull(method, "method");
        requireText("method", method);
        if (Text.isBlank(method)) {
            throw new InvalidIdentityException("method must not be blank");
        }
        return method;
    }

    /** Checks an optional display name; an empty name is allowed, as upstream. */
    static Optional<String> displayName(Optional<String> name) {
        Objects.requireNonNull(name, "displayName");
        name.ifPresent(n -> {
            requireText("display_name", n);
            if (n.indexOf('/') >= 0 || n.indexOf('\0') >= 0) {
                throw new InvalidIdentityException("display_name must not contain '/' or NUL");
            }
        });
        return name;
    }

    // Platform and platform user id form upstream's key link/<platform>/<id>, hence no '/' or NUL.
    private static void requireKeyPart(String field, String value) {
        requireText(field, value);
        if (Text.isBlank(value)) {
            throw new InvalidIdentityException(field + " must not be blank");
        }
        if (value.indexOf('/') >= 0 || value.indexOf('\0') >= 0) {
            throw new InvalidIdentityException(field + " must not contain '/' or NUL");
        }
    }

    private static void requireText(String field, String value) {
        if (GuestText.encodedLength(value) > IdentityStore.MAX_TEXT_BYTES) {
            throw new InvalidIdentityException(field + " is longer than " + IdentityStore.MAX_TEXT_BYTES + " bytes");
        }
        if (!Text.isWellFormed(value)) {
            throw new InvalidIdentityException(field + " contains an unpaired surrogate");
        }
    }
}
