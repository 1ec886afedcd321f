package dev.astrid.host.net.internal;

import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.security.NamePatterns;
import java.util.List;

/**
 * The {@code net_bind} capability: which socket paths a capsule may bind in its own socket
 * directory. Each entry is a glob over the relative path, matched with the SPI's
 * {@link NamePatterns#globMatches} ({@code *} matches any run of characters, {@code /} included;
 * case matters, as it does for file names). An optional {@code unix:} or {@code unix://} in front is dropped, so upstream's
 * {@code unix:*} allows every name. An entry that names an absolute path allows nothing (a capsule
 * never binds outside its directory), and so does an empty one. An empty list allows nothing.
 */
final class BindGate {
    private final List<String> patterns;

    BindGate(List<String> entries) {
        this.patterns = List.copyOf(entries);
    }

    /** Whether an entry allows the relative path. */
    static boolean matches(String entry, String relative) {
        String p = entry;
        if (p.startsWith("unix:")) {
            p = p.substring("unix:".length());
            if (p.startsWith("//")) {
                p = p.substring(2);
            }
        }
        return !p.isEmpty() && !p.startsWith("/") && NamePatterns.globMatches(relative, p);
    }

    /**
     * Checks a path.
     *
     * @throws HostException {@code security denied net_bind: ...} when no entry allows it
     */
    void check(String capsuleId, String relative) {
        for (String e : patterns) {
            if (matches(e, relative)) {
                return;
            }
        }
        String why = patterns.isEmpty() ? "the capsule declares no net_bind capability"
                : "no net_bind pattern matches it (net_bind = [" + quoted() + "])";
        throw new HostException("security denied net_bind: capsule " + capsuleId + " may not bind '" + relative + "': " + why);
    }

    private String quoted() {
        StringBuilder sb = new StringBuilder();
        for (String p : patterns) {
            sb.append(sb.length() == 0 ? "" : ", ").append('"').append(p).append('"');
        }
        return sb.toString();
    }
}
