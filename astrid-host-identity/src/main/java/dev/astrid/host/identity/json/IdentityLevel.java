package dev.astrid.host.identity.json;

import java.util.List;

/** The manifest's {@code identity} capability levels, in the order of upstream's hierarchy. */
enum IdentityLevel {
    /** No identity capability at all. */
    NONE("none"),
    /** May resolve platform accounts to users. */
    RESOLVE("resolve"),
    /** May also link, unlink and list links. */
    LINK("link"),
    /** May also create users. */
    ADMIN("admin");

    private final String word;

    IdentityLevel(String word) {
        this.word = word;
    }

    /** The word a manifest uses for the level. */
    String word() {
        return word;
    }

    /** Whether this level includes another. */
    boolean includes(IdentityLevel required) {
        return compareTo(required) >= 0;
    }

    /**
     * The highest level among a manifest's {@code identity} entries. Entries are matched exactly;
     * an unknown one grants nothing (validating the manifest is the host's job, not ours).
     */
    static IdentityLevel granted(List<String> manifestEntries) {
        IdentityLevel best = NONE;
        for (String entry : manifestEntries) {
            for (IdentityLevel level : values()) {
                if (level != NONE && level.word.equals(entry) && level.compareTo(best) > 0) {
                    best = level;
                }
            }
        }
        return best;
    }
}
