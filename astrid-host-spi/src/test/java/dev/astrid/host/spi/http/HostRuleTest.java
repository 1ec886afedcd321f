package dev.astrid.host.spi.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The two host rules: the net capability's and the kernel's globs. */
class HostRuleTest {
    @Test
    void theNetRuleAllowsTheEntryAndItsSubdomainsOnly() {
        HostRule r = HostRule.netCapability(List.of("example.com"));
        assertThat(r.allows("example.com")).isTrue();
        assertThat(r.allows("api.example.com")).isTrue();
        assertThat(r.allows("EXAMPLE.com")).isTrue();
        assertThat(r.allows("evilexample.com")).isFalse();
        assertThat(r.allows("example.com.evil.org")).isFalse();
        assertThat(r.allows("com")).isFalse();
        assertThat(HostRule.netCapability(List.of("*")).allows("anything.at.all")).isTrue();
        assertThat(HostRule.netCapability(List.of()).allows("example.com")).isFalse();
        assertThat(r.denial("evil\ncom")).isEqualTo("security denied network access: host 'evil\\ncom' is not in the "
                + "capsule's net list [example.com] (an entry allows itself and its subdomains)");
    }

    @Test
    void globsMatchWholeNamesIgnoringCase() {
        HostRule r = HostRule.globs(List.of("*.example.com", "127.0.0.*"));
        assertThat(r.allows("api.Example.com")).isTrue();
        assertThat(r.allows("example.com")).isFalse();
        assertThat(r.allows("127.0.0.1")).isTrue();
        assertThat(r.allows("127.0.0.1.evil.org")).as("* matches dots too, as Extism's globs do").isTrue();
        assertThat(r.allows("128.0.0.1")).isFalse();
        assertThat(r.denial("x.org")).isEqualTo("host 'x.org' is not allowed (allowed: *.example.com, 127.0.0.*)");
    }
}
