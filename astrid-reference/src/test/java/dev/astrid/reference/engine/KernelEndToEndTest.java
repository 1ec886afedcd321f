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
import dev.astrid.engine.KernelLimits;
import dev.astrid.engine.KernelLog;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Extism kernel and the engine, through the real kernel-probe guest, on both execution modes. */
class KernelEndToEndTest {
    @TempDir
    Path dir;

    private AstridHost host(boolean interpreter) {
        return AstridHost.start(TestHosts.config(dir, interpreter).config("greeting", "hello there")
                .logLevel(KernelLog.WARN).build());
    }

    private static byte[] call(LoadedCapsule c, String export, byte[] input) {
        return c.call(export, input, Invocation.Caller.NONE, Duration.ofSeconds(20));
    }

    private static GuestCallException failure(LoadedCapsule c, String export) {
        return catchThrowableOfType(GuestCallException.class, () -> call(c, export, new byte[0]));
    }

    private static long le64(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @ParameterizedTest(name = "interpreter={0}")
    @ValueSource(booleans = {false, true})
    void echoReturnsTheInputExactly(boolean interpreter) {
        try (AstridHost h = host(interpreter)) {
            LoadedCapsule c = TestHosts.loadBare(h, "kernel-probe");
            byte[] all = new byte[256 * 40 + 3];
            for (int i = 0; i < all.length; i++) {
                all[i] = (byte) i;
            }
            assertThat(call(c, "echo", all)).isEqualTo(all);
            assertThat(call(c, "echo", "abc".getBytes(StandardCharsets.UTF_8))).containsExactly('a', 'b', 'c');
            assertThat(call(c, "echo", new byte[0])).isEmpty();
            assertThat(le64(call(c, "input_size", new byte[11]))).isEqualTo(11);
        }
    }

    @ParameterizedTest(name = "interpreter={0}")
    @ValueSource(booleans = {false, true})
    void guestErrorsAndNonZeroCodesAreReportedAndTheCapsuleStaysUsable(boolean interpreter) {
        try (AstridHost h = host(interpreter)) {
            LoadedCapsule c = TestHosts.loadBare(h, "kernel-probe");
            GuestCallException fail = failure(c, "fail");
            assertThat(fail.kind()).isEqualTo(Kind.GUEST_ERROR);
            assertThat(fail).hasMessage("boom");
            GuestCallException rc = failure(c, "nonzero");
            assertThat(rc.kind()).isEqualTo(Kind.GUEST_ERROR);
            assertThat(rc).hasMessage("returned non-zero exit code: 7");
            assertThat(call(c, "echo", "still fine".getBytes(StandardCharsets.UTF_8))).asString().isEqualTo("still fine");
        }
    }

    @ParameterizedTest(name = "interpreter={0}")
    @ValueSource(booleans = {false, true})
    void trapsAndStackExhaustionEndTheCallOnly(boolean interpreter) {
        try (AstridHost h = host(interpreter)) {
            LoadedCapsule c = TestHosts.loadBare(h, "kernel-probe");
            GuestCallException trap = failure(c, "trap");
            assertThat(trap.kind()).isEqualTo(Kind.TRAP);
            assertThat(trap.getMessage()).startsWith("trap: ");
            GuestCallException deep = failure(c, "recurse");
            assertThat(deep.kind()).isEqualTo(Kind.TRAP);
            assertThat(deep.getMessage()).contains("stack");
            assertThat(call(c, "echo", "ok".getBytes(StandardCharsets.UTF_8))).asString().isEqualTo("ok");
        }
    }

    @ParameterizedTest(name = "interpreter={0}")
    @ValueSource(booleans = {false, true})
    void aRunawayCallTimesOutAndTheNextCallWorks(boolean interpreter) {
        try (AstridHost h = host(interpreter)) {
            LoadedCapsule c = TestHosts.loadBare(h, "kernel-probe");
            GuestCallException e = catchThrowableOfType(GuestCallException.class,
                    () -> c.call("spin", new byte[0], Invocation.Caller.NONE, Duration.ofMillis(200)));
            assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
            assertThat(e).hasMessageContaining("timed out after 200 ms");
            assertThat(call(c, "echo", "after".getBytes(StandardCharsets.UTF_8))).asString().isEqualTo("after");
        }
    }

    @ParameterizedTest(name = "interpreter={0}")
    @ValueSource(booleans = {false, true})
    void abortedCallsDoNotLeakTheStackPointerButNormalCallsKeepTheirState(boolean interpreter) {
        try (AstridHost h = host(interpreter)) {
            LoadedCapsule c = TestHosts.loadBare(h, "kernel-probe");
            long start = le64(call(c, "get_sp", new byte[0]));
            for (int i = 0; i < 200; i++) {
                assertThat(failure(c, "leak_sp").kind()).isEqualTo(Kind.TRAP);
            }
            assertThat(le64(call(c, "get_sp", new byte[0]))).isEqualTo(start);
            call(c, "bump_sp", new byte[0]);
            assertThat(le64(call(c, "get_sp", new byte[0]))).isEqualTo(start - 8);
        }
    }

    @ParameterizedTest(name = "interpreter={0}")
    @ValueSource(booleans = {false, true})
    void badHandlesTrapWithoutTouchingOtherBlocks(boolean interpreter) {
        try (AstridHost h = host(interpreter)) {
            LoadedCapsule c = TestHosts.loadBare(h, "kernel-probe");
            GuestCallException load = failure(c, "bad_load");
            assertThat(load.kind()).isEqualTo(Kind.HOST_ERROR);
            assertThat(load).hasMessageContaining("load_u64: address 0x7777000000000000 is outside every live block");
            GuestCallException store = failure(c, "bad_store");
            assertThat(store).hasMessageContaining("store_u64: address");
            assertThat(call(c, "echo", "x".getBytes(StandardCharsets.UTF_8))).asString().isEqualTo("x");
        }
    }

    @ParameterizedTest(name = "interpreter={0}")
    @ValueSource(booleans = {false, true})
    void guestMemoryIsCapped(boolean interpreter) {
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, interpreter)
                .engine(EngineOptions.DEFAULT.withInterpreter(interpreter).withMaxGuestMemoryBytes(4L * 1024 * 1024))
                .build())) {
            LoadedCapsule c = TestHosts.loadBare(h, "kernel-probe");
            GuestCallException oom = failure(c, "grow");
            assertThat(oom.kind()).isEqualTo(Kind.OUT_OF_MEMORY);
            assertThat(oom).hasMessageContaining("limit of 4 MiB");
            assertThat(call(c, "echo", "y".getBytes(StandardCharsets.UTF_8))).asString().isEqualTo("y");
        }
    }

    @ParameterizedTest(name = "interpreter={0}")
    @ValueSource(booleans = {false, true})
    void kernelMemoryIsCappedAndFreedMemoryIsReused(boolean interpreter) {
        long cap = 8L * 1024 * 1024;
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, interpreter)
                .engine(new EngineOptions(interpreter, 64L * 1024 * 1024, new KernelLimits(cap, 1024 * 1024), 16L << 20))
                .build())) {
            LoadedCapsule c = TestHosts.loadBare(h, "kernel-probe");
            assertThat(le64(call(c, "exhaust", new byte[0]))).isEqualTo(cap / (1024 * 1024));
            assertThat(call(c, "free_reuse", new byte[0])).isEmpty();
        }
    }

    @ParameterizedTest(name = "interpreter={0}")
    @ValueSource(booleans = {false, true})
    void configVarsAndLogging(boolean interpreter) {
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override public void publish(LogRecord r) { records.add(r); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        Logger logger = Logger.getLogger("astrid.capsule.kernel-probe");
        logger.addHandler(handler);
        try (AstridHost h = host(interpreter)) {
            LoadedCapsule c = TestHosts.loadBare(h, "kernel-probe");
            assertThat(call(c, "config", "greeting".getBytes(StandardCharsets.UTF_8))).asString().isEqualTo("hello there");
            assertThat(call(c, "config", "missing".getBytes(StandardCharsets.UTF_8))).isEmpty();
            assertThat(call(c, "count", new byte[0])).containsExactly(1);
            assertThat(call(c, "count", new byte[0])).containsExactly(2);
            assertThat(call(c, "count", new byte[0])).containsExactly(3);
            assertThat(call(c, "log_level", new byte[0])).containsExactly(KernelLog.WARN);
            call(c, "log", "below the level".getBytes(StandardCharsets.UTF_8));
            assertThat(records).noneMatch(r -> r.getMessage().contains("below the level"));
        } finally {
            logger.removeHandler(handler);
        }
    }

    @ParameterizedTest(name = "interpreter={0}")
    @ValueSource(booleans = {false, true})
    void unprovidedFamiliesTrapAndBuiltInsAnswer(boolean interpreter) {
        try (AstridHost h = host(interpreter)) {
            LoadedCapsule c = TestHosts.loadBare(h, "kernel-probe");
            if (!h.boundProviders().containsKey(dev.astrid.sys.abi.Family.NET)) {
                GuestCallException e = failure(c, "net_read");
                assertThat(e.kind()).isEqualTo(Kind.HOST_ERROR);
                assertThat(e).hasMessage("astrid_net_read: no provider installed");
            }
            long before = System.currentTimeMillis();
            long clock = Long.parseLong(new String(call(c, "clock", new byte[0]), StandardCharsets.US_ASCII));
            assertThat(clock).isBetween(before - 1000, System.currentTimeMillis() + 1000);
        }
    }

    @ParameterizedTest(name = "interpreter={0}")
    @ValueSource(booleans = {false, true})
    void exportsThatAreNotPluginFunctionsAreRefused(boolean interpreter) {
        try (AstridHost h = host(interpreter)) {
            LoadedCapsule c = TestHosts.loadBare(h, "kernel-probe");
            GuestCallException args = failure(c, "takes_args");
            assertThat(args.kind()).isEqualTo(Kind.NO_SUCH_EXPORT);
            assertThat(args).hasMessageContaining("takes nothing and returns an i32");
            GuestCallException none = failure(c, "nope");
            assertThat(none.kind()).isEqualTo(Kind.NO_SUCH_EXPORT);
            assertThat(none).hasMessage("no export named 'nope'");
        }
    }
}
