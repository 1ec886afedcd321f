package dev.astrid.reference.engine;

import dev.astrid.engine.EngineOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.GuestCallException.Kind;
import dev.astrid.host.spi.Invocation;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.TestHosts;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

    @ParameterizedTest(name = "interpreter={0}")
    @ValueSource(booleans = {false, true})
    void outOfMemoryComesFromARefusedAllocationNotFromHeadroom(boolean interpreter) {
        int capPages = 64;
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, interpreter)
                .engine(EngineOptions.DEFAULT.withInterpreter(interpreter).withMaxGuestMemoryBytes(capPages * 65536L))
                .build())) {
            LoadedCapsule c = TestHosts.loadBare(h, "hostile-kernel");
            byte[] pages = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(capPages).array();
            // memory grew to the cap without a refusal, then unreachable: a trap
            GuestCallException atCap = failure(c, "grow_to_then_trap", pages);
            assertThat(atCap.kind()).isEqualTo(Kind.TRAP);
            assertThat(atCap.getMessage()).startsWith("trap: ").contains("unreachable");
            // a later call traps with no headroom left: still a trap
            assertThat(failure(c, "trap").kind()).isEqualTo(Kind.TRAP);
            // a refused grow and then a trap unrelated to memory: a trap
            GuestCallException divide = failure(c, "grow_refused_then_divide_by_zero");
            assertThat(divide.kind()).isEqualTo(Kind.TRAP);
            assertThat(divide.getMessage()).contains("divide by zero");
            // a refused grow and then an allocator's abort: out of memory
            GuestCallException oom = failure(c, "grow_refused_then_trap");
            assertThat(oom.kind()).isEqualTo(Kind.OUT_OF_MEMORY);
            assertThat(oom).hasMessageContaining("limit of 4 MiB");
            // a refused kernel alloc and then a bad handle: the bad handle is the reason
            GuestCallException badLoad = failure(c, "kernel_refused_then_bad_load");
            assertThat(badLoad.kind()).isEqualTo(Kind.HOST_ERROR);
            assertThat(badLoad).hasMessage("load_u64: address 0x7777000000000000 is outside every live block");
            assertStillUsable(c);
        }
    }
}
