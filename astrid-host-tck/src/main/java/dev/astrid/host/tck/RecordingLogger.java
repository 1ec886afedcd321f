package dev.astrid.host.tck;

import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A {@link System.Logger} that keeps every record, at every level, for assertions on what a
 * provider logged for a capsule ({@link TestCapsule.Builder#logger(System.Logger)}).
 */
public final class RecordingLogger implements System.Logger {
    /**
     * One logged record.
     *
     * @param level its level
     * @param message its message, with parameters filled in
     */
    public record Entry(Level level, String message) {}

    private final String name;
    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    /** A logger with a name. */
    public RecordingLogger(String name) {
        this.name = name;
    }

    /** What was logged so far, in order. */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        entries.add(new Entry(level, msg));
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        entries.add(new Entry(level, params == null || params.length == 0 ? format : MessageFormat.format(format, params)));
    }

    @Override
    public void log(Level level, Supplier<String> msgSupplier) {
        entries.add(new Entry(level, msgSupplier.get()));
    }
}
