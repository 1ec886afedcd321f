package dev.astrid.reference.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.spi.GuestText;
import dev.astrid.host.spi.Invocation;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.TestHosts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * astrid_log and the Extism log_* imports of a real guest through the capsule's logger: escaped,
 * cut, and rate-limited with a notice. Bounds are the token bucket's own arithmetic over the time
 * the call took, so a slow machine cannot make them fail.
 */
class CapsuleLogLimitsTest {
    private static final long LINES_PER_SECOND = 100;
    private static final long BYTES_PER_SECOND = 65536;
    private static final long MAX_LINE = 8192;

    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();
    private final List<String> notices = new ArrayList<>();
    private final Logger capsuleJul = Logger.getLogger("astrid.capsule.hostile-kernel");
    private final Logger noticeJul = Logger.getLogger("astrid.log");
    private final Handler toLines = recorder(lines);
    private final Handler toNotices = recorder(notices);

    private static Handler recorder(List<String> into) {
        return new Handler() {
            @Override public void publish(LogRecord r) { synchronized (into) { into.add(r.getMessage()); } }
            @Override public void flush() {}
            @Override public void close() {}
        };
    }

    @BeforeEach
    void attach() {
        capsuleJul.addHandler(toLines);
        noticeJul.addHandler(toNotices);
        // the lines are counted here; printing 3000 of them to the console would only slow the build
        capsuleJul.setUseParentHandlers(false);
    }

    @AfterEach
    void detach() {
        capsuleJul.removeHandler(toLines);
        noticeJul.removeHandler(toNotices);
        capsuleJul.setUseParentHandlers(true);
    }

    /** Runs an export and returns how many whole seconds (rounded up) it took. */
    private static long call(LoadedCapsule c, String export, byte[] input) {
        long t0 = System.nanoTime();
        c.call(export, input, Invocation.Caller.NONE, Duration.ofSeconds(120));
        return (System.nanoTime() - t0) / 1_000_000_000L + 1;
    }

    @Test
    void aFloodOfLongAstridLogLinesIsCutAndHeldToTheByteRate() {
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).build())) {
            LoadedCapsule c = TestHosts.loadBare(h, "hostile-kernel");
            byte[] big = new byte[65536];
            Arrays.fill(big, (byte) 'a');
            long seconds = call(c, "log_flood", big);
            assertThat(lines).isNotEmpty().hasSizeLessThan(3000);
            long total = 0;
            for (String l : lines) {
                assertThat(GuestText.encodedLength(l)).isLessThanOrEqualTo(MAX_LINE);
                assertThat(l).endsWith(" bytes cut]");
                total += GuestText.encodedLength(l);
            }
            assertThat(total).isLessThanOrEqualTo(BYTES_PER_SECOND * (1 + seconds));
            assertThat(notices).first().asString().startsWith("capsule hostile-kernel: 1 log line dropped (over log.lines-per-second=100");
        }
    }

    @Test
    void aFloodOfExtismLogLinesIsHeldToTheLineRate() {
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).build())) {
            LoadedCapsule c = TestHosts.loadBare(h, "hostile-kernel");
            long seconds = call(c, "kernel_log_flood", new byte[0]);
            assertThat(lines).isNotEmpty().allMatch("boom"::equals);
            assertThat((long) lines.size()).isLessThanOrEqualTo(LINES_PER_SECOND * (1 + seconds)).isLessThan(3000);
            assertThat(notices).isNotEmpty().allMatch(n -> n.startsWith("capsule hostile-kernel: ") && n.contains(" dropped "));
        }
    }

    @Test
    void controlCharactersInBothLogPathsArriveEscaped() {
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).build())) {
            LoadedCapsule c = TestHosts.loadBare(h, "hostile-kernel");
            call(c, "log_both", "x\nastrid: ready: forged\u001b[2J\u202e".getBytes(StandardCharsets.UTF_8));
            assertThat(lines).containsExactly("x\\nastrid: ready: forged\\x1b[2J\\u202e", "x\\nastrid: ready: forged\\x1b[2J\\u202e");
            assertThat(notices).isEmpty();
        }
    }
}
