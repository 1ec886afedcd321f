package dev.astrid.cli;

import dev.astrid.host.spi.PrintableText;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Where the command line sends log records: one line each on the command's stderr. Capsule lines
 * read {@code [capsule] LEVEL message}; host lines read {@code astrid: LEVEL message}. Every
 * message is escaped with {@link PrintableText}, so no text a capsule chose can start a line of
 * its own or drive the terminal.
 */
final class CliLogging {
    private static final String CAPSULE_PREFIX = "astrid.capsule.";

    private CliLogging() {}

    static void configure(String levelName, PrintStream err) {
        Level level = julLevel(levelName);
        Logger root = Logger.getLogger("");
        for (var h : root.getHandlers()) {
            root.removeHandler(h);
        }
        StreamHandler handler = new StreamHandler(err, new LineFormatter(level)) {
            @Override
            public synchronized void publish(LogRecord r) {
                super.publish(r);
                flush();
            }

            @Override
            public synchronized void close() {
                // the stream belongs to the command line (System.err); only flush it
                flush();
            }
        };
        handler.setLevel(level);
        root.addHandler(handler);
        root.setLevel(level);
        // Chicory's own logger is chatty at INFO about compilation details.
        Logger.getLogger("com.dylibso.chicory").setLevel(Level.WARNING);
    }

    /** One escaped line per record; a stack trace (debug and below) escaped line by line. */
    private static final class LineFormatter extends Formatter {
        private final Level level;

        LineFormatter(Level level) {
            this.level = level;
        }

        @Override
        public String format(LogRecord r) {
            String name = r.getLoggerName() == null ? "" : r.getLoggerName();
            String who = name.startsWith(CAPSULE_PREFIX) ? "[" + name.substring(CAPSULE_PREFIX.length()) + "]" : "astrid:";
            StringBuilder sb = new StringBuilder(PrintableText.escape(who)).append(' ').append(label(r.getLevel()))
                    .append(' ').append(PrintableText.escape(formatMessage(r))).append(System.lineSeparator());
            if (r.getThrown() != null && level.intValue() <= Level.FINE.intValue()) {
                StringWriter sw = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(sw));
                sw.toString().lines().forEach(l -> sb.append(PrintableText.escape(l)).append(System.lineSeparator()));
            }
            return sb.toString();
        }
    }

    private static String label(Level l) {
        if (l.intValue() >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (l.intValue() >= Level.WARNING.intValue()) {
            return "WARN";
        }
        if (l.intValue() >= Level.INFO.intValue()) {
            return "INFO";
        }
        if (l.intValue() >= Level.FINE.intValue()) {
            return "DEBUG";
        }
        return "TRACE";
    }

    private static Level julLevel(String name) {
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "trace": return Level.FINEST;
            case "debug": return Level.FINE;
            case "warn": return Level.WARNING;
            case "error": return Level.SEVERE;
            case "off": return Level.OFF;
            default: return Level.INFO;
        }
    }
}
