package dev.astrid.reference.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Where the command line sends log records: one line each on stderr. Capsule lines read
 * {@code [capsule] LEVEL message}; host lines read {@code astrid: LEVEL message}.
 */
final class CliLogging {
    private static final String CAPSULE_PREFIX = "astrid.capsule.";

    private CliLogging() {}

    static void configure(String levelName) {
        Level level = julLevel(levelName);
        Logger root = Logger.getLogger("");
        for (var h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler handler = new ConsoleHandler();
        handler.setLevel(level);
        handler.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord r) {
                String name = r.getLoggerName() == null ? "" : r.getLoggerName();
                String who = name.startsWith(CAPSULE_PREFIX) ? "[" + name.substring(CAPSULE_PREFIX.length()) + "]" : "astrid:";
                StringBuilder sb = new StringBuilder(who).append(' ').append(label(r.getLevel())).append(' ')
                        .append(formatMessage(r)).append(System.lineSeparator());
                if (r.getThrown() != null && level.intValue() <= Level.FINE.intValue()) {
                    java.io.StringWriter sw = new java.io.StringWriter();
                    r.getThrown().printStackTrace(new java.io.PrintWriter(sw));
                    sb.append(sw);
                }
                return sb.toString();
            }
        });
        root.addHandler(handler);
        root.setLevel(level);
        // Chicory's own logger is chatty at INFO about compilation details.
        Logger.getLogger("com.dylibso.chicory").setLevel(Level.WARNING);
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
