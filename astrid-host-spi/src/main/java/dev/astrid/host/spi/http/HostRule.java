package dev.astrid.host.spi.http;

import dev.astrid.host.spi.security.HostPatterns;
import java.util.List;

/** Which host names a capsule may send HTTP requests to, and how a refusal is worded. */
public interface HostRule {

    /** Whether the host name (lower case, without brackets for an IPv6 literal) is allowed. */
    boolean allows(String host);

    /** The reason given when {@code host} is not allowed: it names the host and the rule. */
    String denial(String host);

    /**
     * The rule of a capsule's {@code net} capability, as upstream's: an entry {@code *}, an entry
     * equal to the host, or an entry the host ends with after a dot, so {@code example.com} allows
     * {@code api.example.com} but never {@code evilexample.com}.
     */
    static HostRule netCapability(List<String> entries) {
        List<String> copy = List.copyOf(entries);
        return new HostRule() {
            @Override
            public boolean allows(String host) {
                return HostPatterns.hostAllowed(host, copy);
            }

            @Override
            public String denial(String host) {
                return "security denied network access: host '" + Shown.of(host) + "' is not in the capsule's net list"
                        + (copy.isEmpty() ? " (it is empty)" : " " + copy + " (an entry allows itself and its subdomains)");
            }
        };
    }

    /**
     * The rule of host globs ({@code *} matches any run of characters, case ignored), as the
     * Extism kernel's {@code allowed_hosts}.
     */
    static HostRule globs(List<String> globs) {
        List<String> copy = List.copyOf(globs);
        return new HostRule() {
            @Override
            public boolean allows(String host) {
                return copy.stream().anyMatch(p -> HostPatterns.globMatches(host, p));
            }

            @Override
            public String denial(String host) {
                return "host '" + Shown.of(host) + "' is not allowed (allowed: " + String.join(", ", copy) + ")";
            }
        };
    }
}
