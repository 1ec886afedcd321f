package dev.astrid.host.spi.security;

import java.util.List;
import java.util.Locale;

/**
 * Host-name allowlists.
 */
public final class HostPatterns {
    private HostPatterns() {}

    /**
     * Whether a network host is allowed by the {@code net} capability: an entry {@code *}, an entry
     * equal to the host, or an entry the host is a subdomain of ({@code api.example.com} is allowed
     * by {@code example.com}). Case does not matter.
     */
    public static boolean hostAllowed(String host, List<String> entries) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        for (String entry : entries) {
            String e = entry.toLowerCase(Locale.ROOT);
            if (e.equals("*") || h.equals(e) || (!e.isEmpty() && h.endsWith("." + e))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a host glob pattern matches a host, as for Extism's {@code allowed_hosts}: {@code *}
     * matches any run of characters, everything else matches itself, ignoring case.
     */
    public static boolean globMatches(String host, String pattern) {
        return NamePatterns.globMatches(host.toLowerCase(Locale.ROOT), pattern.toLowerCase(Locale.ROOT));
    }
}
