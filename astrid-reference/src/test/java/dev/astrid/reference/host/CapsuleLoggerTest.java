package dev.astrid.reference.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.spi.GuestText;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.ProviderSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The capsule log gate on a clock the test moves: escaping, cutting, the token bucket and its notices. */
class CapsuleLoggerTest {
    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong(123 * MS);
    private final List<String> lines = new ArrayList<>();
    private final List<String> notices = new ArrayList<>();
    private final Logger capsuleJul = Logger.getLogger("astrid.test.capsule-logger");
    private final Logger noticeJul = Logger.getLogger("astrid.log");
    private final Handler toLines = recorder(lines);
    private final Handler toNotices = recorder(notices);

    private static Handler recorder(List<String> into) {
        return new Handler() {
            @Override public void publish(LogRecord r) { into.add(r.getMessage()); }
            @Override public void flush() {}
            @Override public void close() {}
        };
    }

    @BeforeEach
    void attach() {
        capsuleJul.setLevel(Level.ALL);
        capsuleJul.addHandler(toLines);
        noticeJul.addHandler(toNotices);
    }

    @AfterEach
    void detach() {
        capsuleJul.removeHandler(toLines);
        noticeJul.removeHandler(toNotices);
        capsuleJul.setLevel(null);
    }

    private CapsuleLogger gate(long lines, long bytes, int maxLine) {
        return new CapsuleLogger(System.getLogger(capsuleJul.getName()), "cap", new CapsuleLogger.Limits(lines, bytes, maxLine),
                now::get);
    }

    private static void info(System.Logger l, String msg) {
        l.log(System.Logger.Level.INFO, msg);
    }

    @Test
    void linesOverTheRateAreDroppedAndCountedAtMostOnceASecond() {
        CapsuleLogger g = gate(2, 1000, 128);
        for (int i = 0; i < 5; i++) {
            info(g, "l" + i);
        }
        assertThat(lines).containsExactly("l0", "l1");
        assertThat(notices).containsExactly("capsule cap: 1 log line dropped (over log.lines-per-second=2 or log.bytes-per-second=1000)");
        now.addAndGet(500 * MS); // one line refilled; the two drops since the notice wait for a second to pass
        info(g, "l5");
        assertThat(lines).containsExactly("l0", "l1", "l5");
        assertThat(notices).hasSize(1);
        now.addAndGet(1000 * MS);
        info(g, "l6");
        assertThat(lines).containsExactly("l0", "l1", "l5", "l6");
        assertThat(notices).last().isEqualTo("capsule cap: 2 log lines dropped (over log.lines-per-second=2 or log.bytes-per-second=1000)");
    }

    @Test
    void bytesOverTheRateAreDroppedAndTheBucketRefillsOnlyUpToOneSecond() {
        CapsuleLogger g = gate(100, 200, 128);
        String hundred = "x".repeat(100);
        info(g, hundred);
        info(g, hundred);
        info(g, hundred);
        assertThat(lines).hasSize(2);
        now.addAndGet(60_000 * MS); // a long quiet spell still refills only one second's worth
        for (int i = 0; i < 5; i++) {
            info(g, hundred);
        }
        assertThat(lines).hasSize(4);
    }

    @Test
    void longLinesAreCutToTheLimitWithoutSplittingACharacter() {
        CapsuleLogger g = gate(100, 10_000, 128);
        info(g, "a".repeat(300));
        info(g, "é".repeat(100) + "😀".repeat(20));
        info(g, "short");
        assertThat(lines).hasSize(3);
        for (String l : lines.subList(0, 2)) {
            assertThat(GuestText.encodedLength(l)).isLessThanOrEqualTo(128);
            assertThat(l).matches("(?s).* \\.\\.\\. \\[\\d+ bytes cut\\]");
            assertThat(l).doesNotContain("\uFFFD");
        }
        long kept = GuestText.encodedLength(lines.get(0).substring(0, lines.get(0).indexOf(" ... [")));
        assertThat(lines.get(0)).endsWith("[" + (300 - kept) + " bytes cut]");
        assertThat(lines.get(2)).isEqualTo("short");
    }

    @Test
    void controlCharactersBecomeEscapesAndFormatsAreApplied() {
        CapsuleLogger g = gate(100, 10_000, 1024);
        info(g, "x\nastrid: ready: forged\u001b[2J\u202e\r\t\u0085\u007f");
        g.log(System.Logger.Level.INFO, "a {0} b", "line\none");
        assertThat(lines).containsExactly("x\\nastrid: ready: forged\\x1b[2J\\u202e\\r\\t\\x85\\x7f", "a line\\none b");
    }

    @Test
    void linesBelowTheLevelCostNothing() {
        capsuleJul.setLevel(Level.WARNING);
        CapsuleLogger g = gate(1, 1000, 128);
        for (int i = 0; i < 10; i++) {
            g.log(System.Logger.Level.DEBUG, "quiet " + i);
        }
        g.log(System.Logger.Level.WARNING, "loud");
        assertThat(lines).containsExactly("loud");
        assertThat(notices).isEmpty();
    }

    @Test
    void limitsComeFromSettingsAndBadValuesAreRefusedByName() {
        assertThat(CapsuleLogger.Limits.from(ProviderSettings.empty())).isEqualTo(CapsuleLogger.Limits.DEFAULT);
        assertThat(CapsuleLogger.Limits.from(ProviderSettings.of(Map.of("log.lines-per-second", "5",
                "log.bytes-per-second", "4096", "log.max-line-bytes", "1024"))))
                .isEqualTo(new CapsuleLogger.Limits(5, 4096, 1024));
        assertThatThrownBy(() -> CapsuleLogger.Limits.from(ProviderSettings.of(Map.of("log.lines-per-second", "0"))))
                .isInstanceOf(HostException.class).hasMessageContaining("log.lines-per-second must be at least 1");
        assertThatThrownBy(() -> CapsuleLogger.Limits.from(ProviderSettings.of(Map.of("log.bytes-per-second", "100"))))
                .isInstanceOf(HostException.class).hasMessageContaining("log.bytes-per-second (100) must be at least log.max-line-bytes (8192)");
        assertThatThrownBy(() -> CapsuleLogger.Limits.from(ProviderSettings.of(Map.of("log.max-line-bytes", "99999999999"))))
                .isInstanceOf(HostException.class).hasMessageContaining("log.max-line-bytes must be between 128 and 1048576");
        assertThatThrownBy(() -> CapsuleLogger.Limits.from(ProviderSettings.of(Map.of("log.max-line-bytes", "many"))))
                .isInstanceOf(HostException.class).hasMessageContaining("log.max-line-bytes must be an integer");
    }
}
