package dev.astrid.host.spi.security;

/**
 * Globs over names that are case-sensitive, such as the socket names of the {@code net_bind}
 * capability: {@code *} matches any run of characters ({@code /} included), every other character
 * matches itself, case included. {@link HostPatterns#globMatches} is the same match with case
 * ignored, for host names.
 */
public final class NamePatterns {
    private NamePatterns() {}

    /** Whether the pattern matches the whole name. */
    public static boolean globMatches(String name, String pattern) {
        int ni = 0;
        int pi = 0;
        int star = -1;
        int mark = 0;
        while (ni < name.length()) {
            if (pi < pattern.length() && pattern.charAt(pi) == name.charAt(ni)) {
                ni++;
                pi++;
            } else if (pi < pattern.length() && pattern.charAt(pi) == '*') {
                star = pi++;
                mark = ni;
            } else if (star >= 0) {
                pi = star + 1;
                ni = ++mark;
            } else {
                return false;
            }
        }
        while (pi < pattern.length() && pattern.charAt(pi) == '*') {
            pi++;
        }
        return pi == pattern.length();
    }
}
