package dev.astrid.host.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.spi.HostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Socket names and the net_bind patterns that allow them. */
class SocketNamesTest {
    private static SocketNames.Name parse(String s) {
        return SocketNames.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void dotsAndEmptySegmentsAreDropped() {
        assertThat(parse("cli.sock").segments()).containsExactly("cli.sock");
        assertThat(parse("./run//cli.sock/").text()).isEqualTo("run/cli.sock");
        assertThat(parse("é.sock").byteLength()).isEqualTo(7);
        assertThat(parse("...").text()).as("three dots are a name").isEqualTo("...");
    }

    @Test
    void namesThatLeaveTheDirectoryOrNameNothingAreRefused() {
        for (String bad : new String[] {"", "/x", "//x", "..", "a/..", "a/../b", ".", "./", "a\u0000b", "a\tb", "a\u007fb"}) {
            assertThatThrownBy(() -> parse(bad)).as("'%s'", bad).isInstanceOf(HostException.class);
        }
        assertThatThrownBy(() -> SocketNames.parse(new byte[] {'a', (byte) 0xc3})).hasMessage("socket path is not valid UTF-8");
    }

    @Test
    void patternsAreGlobsOverTheRelativeNameWithUpstreamsSchemeDropped() {
        assertThat(BindGate.matches("*", "run/cli.sock")).isTrue();
        assertThat(BindGate.matches("unix:*", "x")).isTrue();
        assertThat(BindGate.matches("unix://cli.sock", "cli.sock")).isTrue();
        assertThat(BindGate.matches("cli-*.sock", "cli-7.sock")).isTrue();
        assertThat(BindGate.matches("cli-*.sock", "cli.sock")).isFalse();
        assertThat(BindGate.matches("sock", "SOCK")).as("a name of another case is another file").isFalse();
        assertThat(BindGate.matches("unix:///tmp/app.sock", "tmp/app.sock")).as("absolute entries allow nothing").isFalse();
        assertThat(BindGate.matches("/tmp/app.sock", "tmp/app.sock")).isFalse();
        assertThat(BindGate.matches("", "x")).isFalse();
        assertThat(BindGate.matches("unix:", "x")).isFalse();
        BindGate gate = new BindGate(List.of("a.sock"));
        gate.check("alpha", "a.sock");
        assertThatThrownBy(() -> gate.check("alpha", "b.sock"))
                .hasMessage("security denied net_bind: capsule alpha may not bind 'b.sock': no net_bind pattern matches it"
                        + " (net_bind = [\"a.sock\"])");
        assertThatThrownBy(() -> new BindGate(List.of()).check("alpha", "b.sock"))
                .hasMessageEndingWith("the capsule declares no net_bind capability");
    }
}
