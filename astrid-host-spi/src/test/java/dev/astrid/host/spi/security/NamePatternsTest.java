package dev.astrid.host.spi.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamePatternsTest {

    @Test
    void starMatchesAnyRunSlashesIncluded() {
        assertThat(NamePatterns.globMatches("run/cli.sock", "*")).isTrue();
        assertThat(NamePatterns.globMatches("", "*")).isTrue();
        assertThat(NamePatterns.globMatches("cli-7.sock", "cli-*.sock")).isTrue();
        assertThat(NamePatterns.globMatches("run/a/b.sock", "run/*")).isTrue();
        assertThat(NamePatterns.globMatches("cli.sock", "cli-*.sock")).isFalse();
        assertThat(NamePatterns.globMatches("cli.sock.old", "*.sock")).isFalse();
        assertThat(NamePatterns.globMatches("a?c", "a?c")).isTrue();
        assertThat(NamePatterns.globMatches("abc", "a?c")).as("? is an ordinary character").isFalse();
    }

    @Test
    void caseMatters() {
        assertThat(NamePatterns.globMatches("SOCK", "sock")).isFalse();
        assertThat(NamePatterns.globMatches("Cli.sock", "cli*")).isFalse();
        assertThat(HostPatterns.globMatches("API.example.com", "*.EXAMPLE.com")).as("host globs still ignore case").isTrue();
    }
}
