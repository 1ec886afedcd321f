package dev.astrid.host.identity.json;

import dev.astrid.host.identity.internal.Text;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Parses user ids as strictly as upstream's {@code Uuid::parse_str}: hyphenated, simple (32 hex
 * digits), braced or {@code urn:uuid:} forms, any case. {@link UUID#fromString} is too lenient
 * (it takes {@code 1-2-3-4-5}).
 */
final class UuidText {
    private static final String HEX = "[0-9a-fA-F]";
    private static final Pattern HYPHENATED = Pattern.compile(
            HEX + "{8}-" + HEX + "{4}-" + HEX + "{4}-" + HEX + "{4}-" + HEX + "{12}");
    private static final Pattern SIMPLE = Pattern.compile(HEX + "{32}");
    private static final String EXAMPLE = "67e55044-10b1-426f-9247-bb680e5fe0c8";

    private UuidText() {}

    /**
     * The UUID a string spells.
     *
     * @throws IllegalArgumentException with the reason, quoting at most 64 characters of input
     */
    static UUID parse(String text) {
        String body = text;
        if (body.startsWith("urn:uuid:")) {
            body = body.substring("urn:uuid:".length());
        } else if (body.length() == 38 && body.startsWith("{") && body.endsWith("}")) {
            body = body.substring(1, body.length() - 1);
        }
        if (SIMPLE.matcher(body).matches()) {
            body = body.substring(0, 8) + "-" + body.substring(8, 12) + "-" + body.substring(12, 16) + "-"
                    + body.substring(16, 20) + "-" + body.substring(20);
        } else if (!HYPHENATED.matcher(body).matches()) {
            throw new IllegalArgumentException("expected a UUID such as " + EXAMPLE + ", got \""
                    + Text.preview(text, 64) + "\"");
        }
        return UUID.fromString(body.toLowerCase(Locale.ROOT));
    }
}
