package dev.astrid.host.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.LogFunctions;
import java.lang.System.Logger.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every provider of {@code astrid_log} must do (docs/families/log.md): write one record to the
 * capsule's own {@link dev.astrid.host.spi.CapsuleContext#logger() logger} per call, at the level
 * named ({@code trace}, {@code debug}, {@code warn} or {@code warning}, {@code error} or
 * {@code err}, anything else info), with level and message decoded from UTF-8 lossily (a bad byte
 * becomes U+FFFD; nothing traps), the message whole up to the host's bound of
 * {@value PayloadLimits#MAX_LOG_MESSAGE} bytes. Escaping, cutting and rate limits belong to the
 * host's capsule logger, not to the provider, so the provider hands the text on as it came.
 *
 * <p>Extend it and implement {@link #createProvider()}.
 */
public abstract class LogProviderContract extends ProviderContract<LogFunctions> {
    private RecordingLogger records;
    private LogFunctions log;

    @Override
    protected final Family family() {
        return Family.LOG;
    }

    @BeforeEach
    void bindLog() {
        records = new RecordingLogger("astrid.capsule.alpha");
        log = bind(host.capsule("alpha").logger(records).build());
    }

    @AfterEach
    void closeLogProvider() {
        provider.close();
    }

    private void assertLogged(Level level, String message) {
        assertThat(records.entries()).containsExactly(new RecordingLogger.Entry(level, message));
    }

    /** The provider is found as a host finds it. */
    @Test
    void isRegisteredForServiceLoader() {
        assertRegisteredAsService();
    }

    /** The level argument of {@code astrid_log}. */
    @Nested
    class Levels {
        @Test
        void everyDocumentedNameMapsToItsLevel() {
            String[][] cases = {
                {"trace", "TRACE"}, {"debug", "DEBUG"}, {"info", "INFO"}, {"warn", "WARNING"}, {"warning", "WARNING"},
                {"error", "ERROR"}, {"err", "ERROR"},
            };
            for (String[] c : cases) {
                log.log(b(c[0]), b("m-" + c[0]));
            }
            assertThat(records.entries()).extracting(RecordingLogger.Entry::level).extracting(Level::name)
                    .containsExactly("TRACE", "DEBUG", "INFO", "WARNING", "WARNING", "ERROR", "ERROR");
            assertThat(records.entries()).extracting(RecordingLogger.Entry::message)
                    .containsExactly("m-trace", "m-debug", "m-info", "m-warn", "m-warning", "m-error", "m-err");
        }

        @Test
        void anyOtherLevelIsInfo() {
            for (String other : new String[] {"", "fatal", "notice", "\u00e9rror", "x".repeat(PayloadLimits.maxArgument(
                    dev.astrid.sys.abi.AbiFunction.LOG, 0))}) {
                log.log(b(other), b("m"));
            }
            log.log(new byte[] {(byte) 0xff, (byte) 0xfe}, b("bad level bytes"));
            assertThat(records.entries()).extracting(RecordingLogger.Entry::level).containsOnly(Level.INFO).hasSize(6);
        }
    }

    /** The message argument of {@code astrid_log}. */
    @Nested
    class Messages {
        @Test
        void unicodeArrivesUnchanged() {
            log.log(b("info"), b("gr\u00fc\u00df dich \ud83d\ude00 \u4e16\u754c"));
            assertLogged(Level.INFO, "gr\u00fc\u00df dich \ud83d\ude00 \u4e16\u754c");
        }

        @Test
        void anEmptyMessageIsLoggedAsAnEmptyLine() {
            log.log(b("warn"), new byte[0]);
            assertLogged(Level.WARNING, "");
        }

        @Test
        void invalidUtf8IsReplacedNotRefused() {
            log.log(b("info"), new byte[] {'a', (byte) 0xff, 'b', (byte) 0xc3});
            assertLogged(Level.INFO, "a\ufffdb\ufffd");
        }

        @Test
        void controlCharactersAreLeftToTheHostsLogger() {
            // The reference host's capsule logger escapes them; a provider must not drop or alter the line.
            log.log(b("info"), b("line one\nastrid: ready: fake\u001b[2J"));
            assertThat(records.entries()).hasSize(1);
            assertThat(records.entries().get(0).message()).contains("line one").contains("fake");
        }

        @Test
        void aMessageOfExactlyTheHostsBoundArrivesWhole() {
            String big = "\u00e9".repeat(PayloadLimits.MAX_LOG_MESSAGE / 2);
            assertThat(b(big)).hasSize(PayloadLimits.MAX_LOG_MESSAGE);
            log.log(b("debug"), b(big));
            assertLogged(Level.DEBUG, big);
        }

        @Test
        void eachCapsuleLogsToItsOwnLogger() {
            RecordingLogger betaRecords = new RecordingLogger("astrid.capsule.beta");
            LogFunctions beta = bind(host.capsule("beta").logger(betaRecords).build());
            log.log(b("info"), b("from alpha"));
            beta.log(b("error"), b("from beta"));
            assertLogged(Level.INFO, "from alpha");
            assertThat(betaRecords.entries()).containsExactly(new RecordingLogger.Entry(Level.ERROR, "from beta"));
        }
    }
}
