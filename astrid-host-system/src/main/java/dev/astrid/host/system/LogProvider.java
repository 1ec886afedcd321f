package dev.astrid.host.system;

import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.GuestText;
import dev.astrid.host.spi.FamilyProvider;
import dev.astrid.host.spi.TypedFamily;
import dev.astrid.sys.abi.LogFunctions;
import java.util.Locale;

/**
 * {@code astrid_log}: writes to the capsule's {@link System.Logger}. Level and message are read
 * as UTF-8 with invalid bytes replaced; levels are {@code trace}, {@code debug}, {@code warn} (or
 * {@code warning}), {@code error} (or {@code err}) and anything else is info. The reference host's
 * capsule logger escapes control characters, cuts long lines and rate-limits the capsule
 * ({@code CapsuleLogger}), shared with the Extism {@code log_*} imports.
 */
public final class LogProvider implements FamilyProvider<LogFunctions> {
    @Override
    public String name() {
        return "astrid-reference-log";
    }

    @Override
    public TypedFamily<LogFunctions> typedFamily() {
        return TypedFamily.LOG;
    }

    @Override
    public LogFunctions bind(CapsuleContext capsule) {
        System.Logger logger = capsule.logger();
        return (level, message) ->
                logger.log(level(GuestText.decodeLossy(level)), GuestText.decodeLossy(message));
    }

    /** Maps a guest level name to a logger level. */
    static System.Logger.Level level(String name) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "trace": return System.Logger.Level.TRACE;
            case "debug": return System.Logger.Level.DEBUG;
            case "warn":
            case "warning": return System.Logger.Level.WARNING;
            case "error":
            case "err": return System.Logger.Level.ERROR;
            default: return System.Logger.Level.INFO;
        }
    }
}
