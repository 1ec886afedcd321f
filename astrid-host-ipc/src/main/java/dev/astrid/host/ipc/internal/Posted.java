package dev.astrid.host.ipc.internal;

import com.google.gson.JsonPrimitive;
import dev.astrid.host.ipc.BusMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * One message on the bus, shared by every queue that holds it. Immutable; its JSON encoding is
 * made by the first reader that needs it, so a message nobody reads costs no encoding.
 */
public final class Posted {
    private final long seq;
    private final String topic;
    private final MappedPayload payload;
    private final UUID sourceId;
    private final Instant timestamp;
    /** Formats the timestamp and source id when the entry is first encoded; null: plain {@link Instant#toString()}. */
    private final EntryText text;
    /** The envelope entry, cached; racing readers build equal arrays, so no lock is needed. */
    private volatile byte[] json;

    Posted(long seq, String topic, MappedPayload payload, UUID sourceId, Instant timestamp, EntryText text) {
        this.seq = seq;
        this.topic = topic;
        this.payload = payload;
        this.sourceId = sourceId;
        this.timestamp = timestamp;
        this.text = text;
    }

    /** For tests: a message whose texts are formatted without a bus's caches. */
    Posted(long seq, String topic, MappedPayload payload, UUID sourceId, Instant timestamp) {
        this(seq, topic, payload, sourceId, timestamp, null);
    }

    public long seq() {
        return seq;
    }

    public String topic() {
        return topic;
    }

    public MappedPayload payload() {
        return payload;
    }

    public UUID sourceId() {
        return sourceId;
    }

    public Instant timestamp() {
        return timestamp;
    }

    /**
     * The message as an envelope entry (the envelope of docs/families/ipc.md, with {@code seq}):
     * {@code {"topic","payload","signature":null,"source_id","timestamp","seq"}}.
     */
    byte[] json() {
        byte[] j = json;
        if (j == null) {
            j = encode();
            json = j;
        }
        return j;
    }

    private byte[] encode() {
        byte[] head = ("{\"topic\":" + quote(topic) + ",\"payload\":").getBytes(StandardCharsets.UTF_8);
        // Formatted here, by the first reader, rather than at publish: a message nobody reads costs neither.
        String source = text == null ? sourceId.toString() : text.source(sourceId);
        String stamp = text == null ? timestamp.toString() : text.timestamp(timestamp);
        byte[] tail = (",\"signature\":null,\"source_id\":\"" + source + "\",\"timestamp\":\"" + stamp
                + "\",\"seq\":" + Long.toUnsignedString(seq) + "}").getBytes(StandardCharsets.US_ASCII);
        byte[] body = payload.json();
        byte[] out = new byte[head.length + body.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        System.arraycopy(tail, 0, out, head.length + body.length, tail.length);
        return out;
    }

    /** A JSON string literal; topics rarely need escaping, so Gson is only asked when they do. */
    private static String quote(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c == '\u2028' || c == '\u2029') {
                return new JsonPrimitive(s).toString();
            }
        }
        return '"' + s + '"';
    }

    /** The message as the Java API shows it. */
    public BusMessage toBusMessage() {
        return new BusMessage(seq, topic, payload.jsonString(), sourceId, timestamp);
    }
}
