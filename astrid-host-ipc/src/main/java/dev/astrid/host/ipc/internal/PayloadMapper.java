package dev.astrid.host.ipc.internal;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import dev.astrid.host.spi.GuestText;
import dev.astrid.host.spi.JsonErrors;
import java.io.IOException;
import java.io.StringReader;
import java.io.Writer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * Turns a published payload into what subscribers receive (docs/families/ipc.md, "Payload mapping"): strict JSON is
 * required; an object whose {@code type} is a known tag is kept as given; {@code custom} keeps only
 * its {@code data}; everything else is wrapped as {@code {"type":"custom","data":<original>}}.
 *
 * <p>The document is copied token by token from Gson's strict reader to its writer, compacted, and
 * never held as a tree: a tree of a 5 MiB array of small numbers takes some 200 MB and seconds to
 * build and print, the copy takes a few times the payload and a fraction of that time. Duplicate
 * names keep the position of their first occurrence and the value of their last, as a tree (and
 * serde) would have it.
 */
public final class PayloadMapper {

    /** The tags of upstream's {@code IpcPayload} variants. */
    static final Set<String> KNOWN_TAGS = Set.of("raw_json", "user_input", "agent_response", "approval_required",
            "approval_response", "onboarding_required", "llm_request", "llm_stream_event", "llm_response",
            "tool_execute_request", "tool_execute_result", "tool_cancel_request", "selection_required",
            "elicit_request", "elicit_response", "connect", "disconnect", "custom");

    /** Deeper documents are refused: upstream's parser has the same kind of limit, and ours keeps the stack safe. */
    static final int MAX_NESTING = 128;

    /** Tokens copied between two looks at the thread's interrupt flag. */
    private static final int INTERRUPT_CHECK_EVERY = 4096;

    private static final String NOT_JSON = "IPC payload is not valid JSON";
    private static final String CUSTOM_PREFIX = "{\"type\":\"custom\",\"data\":";
    private static final String RAW_JSON_HEAD = "{\"type\":\"raw_json\"";

    private PayloadMapper() {}

    /**
     * Maps a payload a capsule published. The work stops soon after the thread is interrupted (the
     * host cancels a call that way).
     *
     * @throws IllegalArgumentException starting with {@code IPC payload is not valid JSON}
     * @throws CancellationException if the thread was interrupted; the flag stays set
     */
    public static MappedPayload map(byte[] payload) {
        String text;
        try {
            text = GuestText.decodeStrict(payload);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(NOT_JSON + ": not valid UTF-8");
        }
        return map(text, true);
    }

    /**
     * Maps a payload given as text (the Java API; not interruptible).
     *
     * @throws IllegalArgumentException starting with {@code IPC payload is not valid JSON}
     */
    public static MappedPayload map(String payload) {
        return map(payload, false);
    }

    private static MappedPayload map(String text, boolean interruptible) {
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            throw new IllegalArgumentException(NOT_JSON + ": byte order mark");
        }
        try {
            return new Copier(text, interruptible).map();
        } catch (IOException e) {
            throw new IllegalArgumentException(NOT_JSON + ": " + JsonErrors.reason(e), e);
        }
    }

    /** One mapping: the reader, the compact output and the members of every open object. */
    private static final class Copier {
        private final JsonReader in;
        private final StringBuilder out;
        private final JsonWriter w;
        private final boolean interruptible;
        /**
         * The members of the object open at each depth, reused by the next object at that depth;
         * grown as objects nest (most payloads are one or two levels deep, and this is per message).
         */
        private Members[] open = new Members[4];
        private int tokens;
        /** The last top-level {@code type} value if it was a string, else null. */
        private String tag;

        Copier(String text, boolean interruptible) {
            this.in = new JsonReader(new StringReader(text));
            in.setStrictness(Strictness.STRICT);
            // The wrapped form is the most common result, so the output starts as one.
            this.out = new StringBuilder(text.length() + CUSTOM_PREFIX.length() + 1).append(CUSTOM_PREFIX);
            this.w = new JsonWriter(new Appender(out));
            this.interruptible = interruptible;
        }

        MappedPayload map() throws IOException {
            int base = out.length();
            // Gson would read an empty document as null; peek throws for it instead.
            JsonToken first = in.peek();
            Members top = null;
            if (first == JsonToken.BEGIN_OBJECT) {
                top = copyObject(1);
            } else {
                copyValue(0);
            }
            if (in.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException(NOT_JSON + ": trailing content after the document");
            }
            if (top != null && tag != null) {
                if (tag.equals("custom")) {
                    int data = top.indexOf("data");
                    // Upstream cannot read a custom variant without data, so it is wrapped whole below.
                    if (data >= 0) {
                        String value = out.substring(top.textStart(out, data) + "\"data\":".length(), top.ends[data]);
                        return payload(new StringBuilder(CUSTOM_PREFIX.length() + value.length() + 1)
                                .append(CUSTOM_PREFIX).append(value).append('}'), MappedPayload.Kind.CUSTOM);
                    }
                } else if (tag.equals("raw_json")) {
                    // The tag first, as serde writes it; interceptors then get the rest without a second parse.
                    StringBuilder raw = new StringBuilder(out.length() - base).append(RAW_JSON_HEAD);
                    for (int i = 0; i < top.count; i++) {
                        if (!top.names[i].equals("type")) {
                            raw.append(',').append(out, top.textStart(out, i), top.ends[i]);
                        }
                    }
                    return payload(raw.append('}'), MappedPayload.Kind.RAW_JSON);
                } else if (KNOWN_TAGS.contains(tag)) {
                    return payload(out.subSequence(base, out.length()), MappedPayload.Kind.TAGGED);
                }
            }
            return payload(out.append('}'), MappedPayload.Kind.CUSTOM);
        }

        private static MappedPayload payload(CharSequence json, MappedPayload.Kind kind) {
            try {
                return new MappedPayload(GuestText.encodeStrict(json), kind);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(NOT_JSON + ": a string holds an " + e.getMessage()
                        + " (half of a surrogate pair)", e);
            }
        }

        /** Copies one value whose container (if any) is at {@code depth}. */
        private void copyValue(int depth) throws IOException {
            tick();
            switch (in.peek()) {
                case BEGIN_ARRAY:
                    requireDepth(depth + 1);
                    in.beginArray();
                    w.beginArray();
                    while (in.hasNext()) {
                        copyValue(depth + 1);
                    }
                    in.endArray();
                    w.endArray();
                    break;
                case BEGIN_OBJECT:
                    copyObject(depth + 1);
                    break;
                case STRING:
                    w.value(in.nextString());
                    break;
                case NUMBER:
                    // The literal as written: numbers keep their textual form.
                    w.jsonValue(in.nextString());
                    break;
                case BOOLEAN:
                    w.value(in.nextBoolean());
                    break;
                case NULL:
                    in.nextNull();
                    w.nullValue();
                    break;
                default:
                    throw new IllegalStateException("unexpected " + in.peek());
            }
        }

        /** Copies an object at {@code depth}, then rewrites it if a name repeated. */
        private Members copyObject(int depth) throws IOException {
            requireDepth(depth);
            if (depth >= open.length) {
                open = Arrays.copyOf(open, Math.min(MAX_NESTING + 1, Math.max(depth + 1, open.length * 2)));
            }
            Members members = open[depth];
            if (members == null) {
                members = new Members();
                open[depth] = members;
            }
            members.reset();
            in.beginObject();
            w.beginObject();
            int start = out.length() - 1;
            while (in.hasNext()) {
                tick();
                String name = in.nextName();
                int at = out.length();
                w.name(name);
                if (depth == 1 && name.equals("type")) {
                    if (in.peek() == JsonToken.STRING) {
                        tag = in.nextString();
                        w.value(tag);
                    } else {
                        tag = null;
                        copyValue(depth);
                    }
                } else {
                    copyValue(depth);
                }
                members.add(name, at, out.length());
            }
            in.endObject();
            w.endObject();
            if (members.repeated) {
                members.dedupe(out, start);
            }
            return members;
        }

        private static void requireDepth(int depth) {
            if (depth > MAX_NESTING) {
                throw new IllegalArgumentException(NOT_JSON + ": nested deeper than " + MAX_NESTING + " levels");
            }
        }

        private void tick() {
            if (interruptible && ++tokens % INTERRUPT_CHECK_EVERY == 0 && Thread.currentThread().isInterrupted()) {
                throw new CancellationException("interrupted while reading the payload");
            }
        }
    }

    /**
     * The members of one object as written: name and where its text ({@code ,"name":value}, the
     * comma only after the first) lies in the output.
     */
    private static final class Members {
        /** Up to this many names a linear search beats hashing. */
        private static final int LINEAR = 8;

        String[] names = new String[LINEAR];
        int[] starts = new int[LINEAR];
        int[] ends = new int[LINEAR];
        int count;
        boolean repeated;
        private Set<String> seen;

        void reset() {
            Arrays.fill(names, 0, count, null);
            count = 0;
            repeated = false;
            if (seen != null && !seen.isEmpty()) {
                // Clearing costs the table's capacity: a large table is cheaper to drop.
                if (seen.size() > 64) {
                    seen = null;
                } else {
                    seen.clear();
                }
            }
        }

        void add(String name, int start, int end) {
            if (count < LINEAR) {
                for (int i = 0; i < count; i++) {
                    repeated |= names[i].equals(name);
                }
            } else {
                if (seen == null) {
                    seen = new HashSet<>();
                }
                if (count == LINEAR) {
                    seen.addAll(Arrays.asList(names).subList(0, LINEAR));
                }
                repeated |= !seen.add(name);
            }
            if (count == names.length) {
                names = Arrays.copyOf(names, count * 2);
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            names[count] = name;
            starts[count] = start;
            ends[count] = end;
            count++;
        }

        /** Where member {@code i}'s text starts, after its comma. */
        int textStart(StringBuilder out, int i) {
            int s = starts[i];
            return out.charAt(s) == ',' ? s + 1 : s;
        }

        /** The index of a member by name, or -1 (after {@link #dedupe} names are unique). */
        int indexOf(String name) {
            for (int i = count - 1; i >= 0; i--) {
                if (names[i].equals(name)) {
                    return i;
                }
            }
            return -1;
        }

        /**
         * Rewrites the object that starts at {@code start} and ends the output: each name once, at
         * its first position, with its last value.
         */
        void dedupe(StringBuilder out, int start) {
            Map<String, Integer> last = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                last.put(names[i], i);
            }
            StringBuilder body = new StringBuilder(out.length() - start);
            String[] keptNames = new String[last.size()];
            int[] keptStarts = new int[last.size()];
            int[] keptEnds = new int[last.size()];
            int k = 0;
            for (Map.Entry<String, Integer> e : last.entrySet()) {
                int i = e.getValue();
                if (k > 0) {
                    body.append(',');
                }
                keptNames[k] = e.getKey();
                keptStarts[k] = start + 1 + body.length();
                body.append(out, textStart(out, i), ends[i]);
                keptEnds[k] = start + 1 + body.length();
                k++;
            }
            out.setLength(start + 1);
            out.append(body).append('}');
            names = keptNames;
            starts = keptStarts;
            ends = keptEnds;
            count = k;
            if (names.length < LINEAR) {
                names = Arrays.copyOf(names, LINEAR);
                starts = Arrays.copyOf(starts, LINEAR);
                ends = Arrays.copyOf(ends, LINEAR);
            }
        }
    }

    /** A writer into a {@link StringBuilder}, without {@link java.io.StringWriter}'s locking. */
    private static final class Appender extends Writer {
        private final StringBuilder sb;

        Appender(StringBuilder sb) {
            this.sb = sb;
        }

        @Override
        public void write(int c) {
            sb.append((char) c);
        }

        @Override
        public void write(char[] buf, int off, int len) {
            sb.append(buf, off, len);
        }

        @Override
        public void write(String s, int off, int len) {
            sb.append(s, off, off + len);
        }

        @Override
        public void flush() {
            // Nothing is buffered.
        }

        @Override
        public void close() {
            // Nothing to release.
        }
    }
}
