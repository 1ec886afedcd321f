package dev.astrid.reference.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.spi.Invocation;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.TestHosts;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A plugin built the way C-PDK plugins are (a wasi-libc reactor using malloc and printf): config,
 * vars that persist between calls, and WASI output, on both engines.
 */
class LibcPluginTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "interpreter={0}")
    @ValueSource(booleans = {false, true})
    void countVowelsKeepsItsTotalAcrossCalls(boolean interpreter) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, interpreter).wasi(true).wasiOutput(stdout)
                .config("vowels", "aeiou").build())) {
            LoadedCapsule c = TestHosts.loadBare(h, "count-vowels");
            String first = new String(c.call("count_vowels", "Hello, World".getBytes(StandardCharsets.UTF_8),
                    Invocation.Caller.NONE, Duration.ofSeconds(20)), StandardCharsets.UTF_8);
            assertThat(first).isEqualTo("{\"count\":3,\"total\":3,\"vowels\":\"aeiou\"}");
            String second = new String(c.call("count_vowels", "aaaa".getBytes(StandardCharsets.UTF_8),
                    Invocation.Caller.NONE, Duration.ofSeconds(20)), StandardCharsets.UTF_8);
            assertThat(second).isEqualTo("{\"count\":4,\"total\":7,\"vowels\":\"aeiou\"}");
        }
        assertThat(stdout.toString(StandardCharsets.UTF_8))
                .isEqualTo("count_vowels: 3 in 12 bytes\ncount_vowels: 4 in 4 bytes\n");
    }
}
