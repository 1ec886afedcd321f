package dev.astrid.host.spi.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostPatternsTest {

    @Test
    void netAllowlistMatchesExactHostsAndSubdomains() {
        assertThat(HostPatterns.hostAllowed("api.github.com", List.of("api.github.com"))).isTrue();
        assertThat(HostPatterns.hostAllowed("x.api.github.com", List.of("github.com"))).isTrue();
        assertThat(HostPatterns.hostAllowed("evilgithub.com", List.of("github.com"))).isFalse();
        assertThat(HostPatterns.hostAllowed("example.org", List.of("api.github.com"))).isFalse();
        assertThat(HostPatterns.hostAllowed("EXAMPLE.org", List.of("*"))).isTrue();
        assertThat(HostPatterns.hostAllowed("example.org", List.of())).isFalse();
    }

    @Test
    void globs() {
        assertThat(HostPatterns.globMatches("api.example.com", "*.example.com")).isTrue();
        assertThat(HostPatterns.globMatches("example.com", "*.example.com")).isFalse();
        assertThat(HostPatterns.globMatches("example.com", "*")).isTrue();
        assertThat(HostPatterns.globMatches("a.b.c", "a.*.c")).isTrue();
        assertThat(HostPatterns.globMatches("abc", "a?c")).isFalse();
    }
}
