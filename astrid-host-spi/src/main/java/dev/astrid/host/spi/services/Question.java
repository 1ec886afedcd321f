package dev.astrid.host.spi.services;

import java.util.List;
import java.util.Objects;

/**
 * One value a capsule asks for while it installs or upgrades.
 *
 * @param capsuleId the asking capsule
 * @param kind what sort of value is wanted
 * @param key the name the capsule gives the value
 * @param prompt the text to show (the capsule's description, else the key)
 * @param options the allowed answers of a {@link Kind#SELECT} question; empty otherwise
 * @param defaultValue the answer to assume when the person gives none; null when there is none
 */
public record Question(String capsuleId, Kind kind, String key, String prompt, List<String> options, String defaultValue) {

    /** Checks the components. */
    public Question {
        Objects.requireNonNull(capsuleId, "capsuleId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(prompt, "prompt");
        options = List.copyOf(options);
        if (kind == Kind.SELECT && options.isEmpty()) {
            throw new IllegalArgumentException("a select question needs options");
        }
    }

    /** The sorts of value a capsule may ask for. */
    public enum Kind {
        /** A line of text. */
        TEXT("text"),
        /** A secret: it goes to the {@link SecretStore}, never back to the capsule; do not echo or log it. */
        SECRET("secret"),
        /** One of {@link Question#options()}. */
        SELECT("select"),
        /** A list of text values. */
        ARRAY("array");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        /** The name of the kind in an {@code astrid_elicit} request. */
        public String wireName() {
            return wireName;
        }
    }
}
