package dev.astrid.host.ipc.internal;

import dev.astrid.host.spi.Rfc3339;
import java.time.Instant;
import java.util.UUID;

/**
 * The texts of an envelope entry that repeat from message to message: the timestamp's second
 * (cached by {@link Rfc3339}) and the source id, which is the same for every message of a capsule.
 * One per bus; thread-safe, since each cache is one immutable pair behind a volatile field.
 */
final class EntryText {
    private record Source(UUID id, String text) {}

    private final Rfc3339 timestamps = new Rfc3339(Rfc3339.Utc.Z);
    private volatile Source lastSource = new Source(new UUID(0, 0), new UUID(0, 0).toString());

    /** The timestamp as envelopes write it, e.g. {@code 2026-03-16T12:34:56.123456Z}. */
    String timestamp(Instant t) {
        return timestamps.format(t);
    }

    /** The source id's text, formatted once per run of messages from one source. */
    String source(UUID id) {
        Source s = lastSource;
        if (!s.id.equals(id)) {
            s = new Source(id, id.toString());
            lastSource = s;
        }
        return s.text;
    }
}
