package dev.astrid.host.cron.internal;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a job fires: a standard 5-field Unix cron expression (parsed by cron-utils) read in a time
 * zone, one of the macros {@code @hourly}, {@code @daily}/{@code @midnight}, {@code @weekly},
 * {@code @monthly}, {@code @yearly}/{@code @annually}, or {@code @every <duration>} with a duration
 * of whole days, hours, minutes and seconds in that order ({@code 30s}, {@code 5m},
 * {@code 1h30m}, {@code 2d}), at least {@link #MIN_INTERVAL} and at most {@link #MAX_INTERVAL}.
 */
public final class Schedule {
    /** The shortest {@code @every} interval. */
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    /** The longest {@code @every} interval. */
    public static final Duration MAX_INTERVAL = Duration.ofDays(366);
    /** The longest schedule text, as the ABI's bound on the argument. */
    static final int MAX_TEXT = 256;

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    /** The macros cron-utils' Unix definition does not know, as the expressions they stand for. */
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final Pattern EVERY = Pattern.compile("@every\\s+(\\S+)");
    private static final Pattern DURATION = Pattern.compile("(?:([0-9]{1,9})d)?(?:([0-9]{1,9})h)?(?:([0-9]{1,9})m)?(?:([0-9]{1,9})s)?");
    private static final Pattern PRINTABLE_ASCII = Pattern.compile("[\\x20-\\x7e]*");

    private final String text;
    private final Duration every;
    private final ExecutionTime cron;
    private final ZoneId zone;

    private Schedule(String text, Duration every, ExecutionTime cron, ZoneId zone) {
        this.text = text;
        this.every = every;
        this.cron = cron;
        this.zone = zone;
    }

    /**
     * Parses a schedule.
     *
     * @param text the schedule as the capsule wrote it (surrounding blanks are ignored)
     * @param zone the zone cron expressions are read in
     * @param now the time it is checked at: an expression with no fire time after it never fires
     * @throws IllegalArgumentException with the reason, in words a capsule author can act on
     */
    public static Schedule parse(String text, ZoneId zone, Instant now) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("the schedule is empty");
        }
        if (!PRINTABLE_ASCII.matcher(t).matches()) {
            throw new IllegalArgumentException("a schedule is printable ASCII only");
        }
        if (t.startsWith("@")) {
            Matcher every = EVERY.matcher(t);
            if (every.matches()) {
                return new Schedule(t, interval(every.group(1)), null, zone);
            }
            if (t.equals("@reboot")) {
                throw new IllegalArgumentException("@reboot is not supported; the [[cron]] jobs of the manifest are scheduled when the capsule loads");
            }
            if (t.equals("@every")) {
                throw new IllegalArgumentException("@every needs a duration, such as @every 30s");
            }
            String expr = MACROS.get(t);
            if (expr == null) {
                throw new IllegalArgumentException("unknown macro; use @every <duration>, @hourly, @daily, @midnight, @weekly, @monthly, @yearly or @annually");
            }
            return cron(t, expr, zone, now);
        }
        return cron(t, t, zone, now);
    }

    private static Schedule cron(String text, String expr, ZoneId zone, Instant now) {
        Cron parsed;
        try {
            parsed = PARSER.parse(expr).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(reason(e.getMessage()), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a valid 5-field cron expression", e);
        }
        Schedule s = new Schedule(text, null, ExecutionTime.forCron(parsed), zone);
        if (s.first(now).isEmpty()) {
            throw new IllegalArgumentException("it never fires (no date matches it)");
        }
        return s;
    }

    /** cron-utils' message, on one line, without its generic preamble. */
    private static String reason(String message) {
        String m = message == null ? "" : message.replaceAll("\\s+", " ").strip();
        m = m.replaceFirst("^Failed to parse cron expression\\. ", "");
        if (m.isEmpty()) {
            return "not a valid 5-field cron expression";
        }
        return m.length() > 200 ? m.substring(0, 200) + "..." : m;
    }

    private static Duration interval(String text) {
        Matcher m = DURATION.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException("the duration '" + text + "' is not whole days, hours, minutes and seconds"
                    + " in that order, such as 30s, 5m, 1h30m or 2d");
        }
        long seconds = 0;
        long[] unit = {86_400, 3_600, 60, 1};
        for (int i = 0; i < unit.length; i++) {
            if (m.group(i + 1) != null) {
                seconds += Long.parseLong(m.group(i + 1)) * unit[i];
            }
        }
        Duration d = Duration.ofSeconds(seconds);
        if (d.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("the interval must be at least 1s");
        }
        if (d.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("the interval must be at most 366d");
        }
        return d;
    }

    /** The schedule as given, without surrounding blanks. */
    public String text() {
        return text;
    }

    /** The first fire time of a job scheduled at {@code now}; empty when it never fires. */
    public Optional<Instant> first(Instant now) {
        if (every != null) {
            return Optional.of(now.plus(every));
        }
        return cron.nextExecution(now.atZone(zone)).map(z -> z.toInstant());
    }

    /**
     * The fire time after one that was due at {@code due} and handled at {@code now} (fired, or
     * skipped): the next that lies after {@code now}, so that missed fire times are never made up
     * in a burst. An interval keeps its rhythm when it can ({@code due + interval}), else restarts
     * from {@code now}.
     */
    public Optional<Instant> following(Instant due, Instant now) {
        if (every != null) {
            Instant next = due.plus(every);
            return Optional.of(next.isAfter(now) ? next : now.plus(every));
        }
        return first(now);
    }

    @Override
    public String toString() {
        return text;
    }
}
