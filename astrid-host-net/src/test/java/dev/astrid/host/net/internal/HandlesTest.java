package dev.astrid.host.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.spi.HostException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Handles parse as Rust's u64::from_str, within 1024 bytes, and the guest's text is never echoed. */
class HandlesTest {
    private static long parse(String s) {
        return Handles.parse(s.getBytes(StandardCharsets.UTF_8), "stream");
    }

    @Test
    void decimalTextParses() {
        assertThat(parse("1")).isEqualTo(1);
        assertThat(parse("+7")).isEqualTo(7);
        assertThat(parse("0")).isZero();
        assertThat(parse("0".repeat(1023) + "5")).isEqualTo(5);
        assertThat(Long.toUnsignedString(parse("18446744073709551615"))).isEqualTo("18446744073709551615");
        assertThat(new String(Handles.format(-1L), StandardCharsets.US_ASCII)).isEqualTo("18446744073709551615");
    }

    @Test
    void anythingElseIsRefusedWithoutRepeatingIt() {
        for (String bad : new String[] {"", "+", "-1", " 1", "1 ", "1.0", "0x1", "1e2", "١", "NullPointerException"}) {
            assertThatThrownBy(() -> parse(bad)).as("'%s'", bad).isInstanceOf(HostException.class)
                    .hasMessageStartingWith("invalid stream handle").hasMessageNotContaining("Exception");
        }
        assertThatThrownBy(() -> parse("18446744073709551616")).hasMessage("invalid stream handle: larger than 18446744073709551615");
        assertThatThrownBy(() -> Handles.parse(new byte[1025], "listener"))
                .hasMessage("memory allocation of 1025 bytes exceeds maximum allowed limit of 1024 bytes");
    }
}
