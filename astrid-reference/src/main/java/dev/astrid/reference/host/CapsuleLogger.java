package dev.astrid.reference.host;

import dev.astrid.host.spi.GuestText;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.PrintableText;
import dev.astrid.host.spi.ProviderSettings;
import java.text.MessageFormat;
import java.util.Arrays;
import java.util.ResourceBundle;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The logger of one capsule ({@code CapsuleContext.logger()}): {@code astrid_log}, the Extism
 * {@code log_*} imports and providers' lines about the capsule all pass through it.
 *
 * <p>Every message is made one printable line ({@link PrintableText}), cut to
 * {@code log.max-line-bytes}, and admitted by a token bucket per capsule that holds one second's
 * worth of {@code log.lines-per-second} lines and {@code log.bytes-per-second} bytes and refills
 * continuously. A line that does not fit is dropped; the host then says so on the
 * {@code astrid.log} logger, {@code capsule X: N log lines dropped (...)}, at once for the first
 * drop and then at most once a second, with the next line the capsule tries to log. Messages
 * below the logger's level are discarded before they cost anything.
 */
public final class CapsuleLogger implements System.Logger {
    /** Setting: lines per second a capsule may log (default 100). */
    public static final String LINES_PER_SECOND = "log.lines-per-second";
    /** Setting: bytes per second a capsule may log, after escaping and cutting (default 65536). */
    public static final String BYTES_PER_SECOND = "log.bytes-per-second";
    /** Setting: the longest line in UTF-8 bytes; longer messages are cut (default 8192). */
    public static final String MAX_LINE_BYTES = "log.max-line-bytes";

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final System.Logger NOTICES = System.getLogger("astrid.log");

    /**
     * The log limits of a capsule.
     *
     * @param linesPerSecond lines admitted per second, also the burst
     * @param bytesPerSecond bytes admitted per second, also the burst; at least {@code maxLineBytes}
     * @param maxLineBytes the longest line; at least 128 bytes so the cut marker fits
     */
    public record Limits(long linesPerSecond, long bytesPerSecond, int maxLineBytes) {
        /** 100 lines, 64 KiB per second, lines of at most 8 KiB. */
        public static final Limits DEFAULT = new Limits(100, 65536, 8192);

        public Limits {
            if (linesPerSecond < 1) {
                throw new HostException("setting " + LINES_PER_SECOND + " must be at least 1, got " + linesPerSecond);
            }
            if (maxLineBytes < 128 || maxLineBytes > 1024 * 1024) {
                throw new HostException("setting " + MAX_LINE_BYTES + " must be between 128 and 1048576, got " + maxLineBytes);
            }
            if (bytesPerSecond < maxLineBytes) {
                throw new HostException("setting " + BYTES_PER_SECOND + " (" + bytesPerSecond + ") must be at least "
                        + MAX_LINE_BYTES + " (" + maxLineBytes + ")");
            }
        }

        /** The limits the {@code log.*} settings give, defaults for those unset. */
        public static Limits from(ProviderSettings settings) {
            return new Limits(settings.getLong(LINES_PER_SECOND, DEFAULT.linesPerSecond),
                    settings.getLong(BYTES_PER_SECOND, DEFAULT.bytesPerSecond),
                    (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE,
                            settings.getLong(MAX_LINE_BYTES, DEFAULT.maxLineBytes))));
        }
    }

    private final System.Logger target;
    private final String capsuleId;
    private final Limits limits;
    private final LongSupplier nanoTime;
    private double lineTokens;
    private double byteTokens;
    private long refilledAt;
    private long dropped;
    private long noticeAt;
    private boolean noticed;

    /** A gate in front of the capsule's logger. */
    public CapsuleLogger(System.Logger target, String capsuleId, Limits limits) {
        this(target, capsuleId, limits, System::nanoTime);
    }

    /** A gate with its own clock, for tests. */
    CapsuleLogger(System.Logger target, String capsuleId, Limits limits, LongSupplier nanoTime) {
        this.target = target;
        this.capsuleId = capsuleId;
        this.limits = limits;
        this.nanoTime = nanoTime;
        this.lineTokens = limits.linesPerSecond();
        this.byteTokens = limits.bytesPerSecond();
        this.refilledAt = nanoTime.getAsLong();
    }

    @Override
    public String getName() {
        return target.getName();
    }

    @Override
    public boolean isLoggable(Level level) {
        return target.isLoggable(level);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        if (!target.isLoggable(level)) {
            return;
        }
        String line = line(msg);
        if (admit(line)) {
            target.log(level, (ResourceBundle) null, line, thrown);
        }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        if (!target.isLoggable(level)) {
            return;
        }
        String line = line(format(format, params));
        if (admit(line)) {
            target.log(level, (ResourceBundle) null, line, (Throwable) null);
        }
    }

    private static String format(String format, Object[] params) {
        if (params == null || params.length == 0) {
            return format;
        }
        try {
            return MessageFormat.format(format, params);
        } catch (IllegalArgumentException e) {
            return format + " " + Arrays.toString(params);
        }
    }

    /** The message as one printable line of at most {@code maxLineBytes} bytes. */
    private String line(String msg) {
        String line = PrintableText.escape(msg);
        long bytes = GuestText.encodedLength(line);
        if (bytes <= limits.maxLineBytes()) {
            return line;
        }
        // Room for the marker, whose number has at most 7 digits (messages are far below 10 MB).
        long budget = limits.maxLineBytes() - 32;
        int end = 0;
        long kept = 0;
        while (end < line.length()) {
            char c = line.charAt(end);
            boolean pair = Character.isHighSurrogate(c) && end + 1 < line.length()
                    && Character.isLowSurrogate(line.charAt(end + 1));
            int b = pair ? 4 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            if (kept + b > budget) {
                break;
            }
            kept += b;
            end += pair ? 2 : 1;
        }
        return line.substring(0, end) + " ... [" + (bytes - kept) + " bytes cut]";
    }

    /** Takes tokens for one line, or counts it dropped; says when lines were dropped. */
    private synchronized boolean admit(String line) {
        long now = nanoTime.getAsLong();
        long elapsed = Math.max(0, now - refilledAt);
        refilledAt = now;
        lineTokens = Math.min(limits.linesPerSecond(), lineTokens + (double) elapsed * limits.linesPerSecond() / SECOND);
        byteTokens = Math.min(limits.bytesPerSecond(), byteTokens + (double) elapsed * limits.bytesPerSecond() / SECOND);
        long bytes = GuestText.encodedLength(line);
        boolean admitted = lineTokens >= 1 && byteTokens >= bytes;
        if (admitted) {
            lineTokens -= 1;
            byteTokens -= bytes;
        } else {
            dropped++;
        }
        if (dropped > 0 && (!noticed || now - noticeAt >= SECOND)) {
            NOTICES.log(Level.WARNING, "capsule " + PrintableText.escape(capsuleId) + ": " + dropped + " log line"
                    + (dropped == 1 ? "" : "s") + " dropped (over " + LINES_PER_SECOND + "=" + limits.linesPerSecond()
                    + " or " + BYTES_PER_SECOND + "=" + limits.bytesPerSecond() + ")");
            dropped = 0;
            noticed = true;
            noticeAt = now;
        }
        return admitted;
    }
}
