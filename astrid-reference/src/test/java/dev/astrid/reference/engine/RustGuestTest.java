package dev.astrid.reference.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.TestHosts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A Rust guest (Rust allocator, shadow stack) through the kernel, including many aborted calls. */
class RustGuestTest {
    @TempDir
    Path dir;

    private static String call(LoadedCapsule c, String export, String input) {
        return new String(c.call(export, input.getBytes(StandardCharsets.UTF_8), Invocation.Caller.NONE, Duration.ofSeconds(20)),
                StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "interpreter={0}")
    @ValueSource(booleans = {false, true})
    void survivesHundredsOfAbortedCallsAndKeepsItsState(boolean interpreter) {
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, interpreter).build())) {
            LoadedCapsule c = TestHosts.loadBare(h, "notes");
            assertThat(call(c, "remember", "first")).isEqualTo("[\"first\"]");
            for (int i = 0; i < 300; i++) {
                GuestCallException e = catchThrowableOfType(GuestCallException.class, () -> call(c, "shout", ""));
                assertThat(e.kind()).isEqualTo(GuestCallException.Kind.HOST_ERROR);
                assertThat(e).hasMessage("astrid_log: memory allocation of 65 bytes exceeds maximum allowed limit of 64 bytes");
            }
            assertThat(call(c, "remember", "say \"second\"")).isEqualTo("[\"first\",\"say \\\"second\\\"\"]");
            GuestCallException fail = catchThrowableOfType(GuestCallException.class, () -> call(c, "fail", ""));
            assertThat(fail).hasMessage("notes: refusing on purpose");
        }
    }
}
