package dev.astrid.reference.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.GuestCallException.Kind;
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

/** The kernel and the engine against the hostile-kernel guest: bad lengths, bad handles, misleading traps. */
class HostileKernelTest {
    @TempDir
    Path dir;

    private static GuestCallException failure(LoadedCapsule c, String export, byte[] input) {
        return catchThrowableOfType(GuestCallException.class,
                () -> c.call(export, input, Invocation.Caller.NONE, Duration.ofSeconds(30)));
    }

    private static GuestCallException failure(LoadedCapsule c, String export) {
        return failure(c, export, new byte[0]);
    }

    private static void assertStillUsable(LoadedCapsule c) {
        assertThat(c.call("echo", "ok".getBytes(StandardCharsets.UTF_8), Invocation.Caller.NONE, Duration.ofSeconds(30)))
                .asString().isEqualTo("ok");
    }

    @ParameterizedTest(name = "interpreter={0}")
    @ValueSource(booleans = {false, true})
    void outputAndInputWithBadLengthsOrHandlesTrapNamingTheImport(boolean interpreter) {
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, interpreter).build())) {
            LoadedCapsule c = TestHosts.loadBare(h, "hostile-kernel");
            GuestCallException negative = failure(c, "output_negative");
            assertThat(negative.kind()).isEqualTo(Kind.HOST_ERROR);
            assertThat(negative).hasMessage("output_set: length -1 is negative");
            assertThat(failure(c, "output_huge"))
                    .hasMessage("output_set: length 9223372036854775807 exceeds its block of 4 bytes");
            assertThat(failure(c, "output_bogus"))
                    .hasMessage("output_set: handle 0x7777000000000000 is not the start of a live block");
            assertThat(failure(c, "input_negative")).hasMessage("input_set: length -1 is negative");
            assertStillUsable(c);
        }
    }

    @ParameterizedTest(name = "interpreter={0}")
    @ValueSource(booleans = {false, true})
    void anErrorSetWithABogusInteriorOrFreedHandleIsNeverASuccess(boolean interpreter) {
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, interpreter).build())) {
            LoadedCapsule c = TestHosts.loadBare(h, "hostile-kernel");
            GuestCallException bogus = failure(c, "error_bogus");
            assertThat(bogus).isNotNull();
            assertThat(bogus.kind()).isEqualTo(Kind.HOST_ERROR);
            assertThat(bogus).hasMessage("error_set: handle 0x7777000000000000 is not the start of a live block");
            GuestCallException interior = failure(c, "error_interior");
            assertThat(interior).isNotNull();
            assertThat(interior.getMessage()).matches("error_set: handle 0x[0-9a-f]+00000001 is not the start of a live block");
            GuestCallException freed = failure(c, "error_freed");
            assertThat(freed).isNotNull();
            assertThat(freed.getMessage()).matches("error_set: the error block 0x[0-9a-f]+ was freed before the call returned");
            assertStillUsable(c);
        }
    }
}
