package dev.astrid.host.cron.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * The jobs of one capsule in {@code <capsule data dir>/cron-jobs.json}, replaced atomically (written
 * to a temporary file beside it, flushed to disk, then renamed over it), so a crash leaves either
 * the old list or the new one.
 *
 * <pre>{@code {"version":1,"jobs":[{"kind":"guest","name":"..","schedule":"..","payload":"<base64>","next":<epoch ms>},
 *                       {"kind":"manifest","name":"..","schedule":"..","next":<epoch ms>}]}}</pre>
 */
final class JobStore {
    static final String FILE = "cron-jobs.json";
    private static final int VERSION = 1;

    /** A stored job, not yet checked against the capsule it is loaded for. */
    record Stored(Job.Kind kind, String name, String schedule, byte[] payload, Instant next) {}

    private final Path file;

    JobStore(Path capsuleDataDir) {
        this.file = capsuleDataDir.resolve(FILE);
    }

    Path file() {
        return file;
    }

    /**
     * The stored jobs; none when there is no file.
     *
     * @throws IOException when the file cannot be read or is not a job list
     */
    List<Stored> read() throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<Stored> out = new ArrayList<>();
        try {
            JsonObject root = JsonParser.parseString(text).getAsJsonObject();
            if (root.get("version").getAsInt() != VERSION) {
                throw new IOException("unknown version " + root.get("version"));
            }
            for (JsonElement e : root.getAsJsonArray("jobs")) {
                JsonObject o = e.getAsJsonObject();
                Job.Kind kind = o.get("kind").getAsString().equals("manifest") ? Job.Kind.MANIFEST : Job.Kind.GUEST;
                byte[] payload = o.has("payload") ? Base64.getDecoder().decode(o.get("payload").getAsString()) : new byte[0];
                out.add(new Stored(kind, o.get("name").getAsString(), o.get("schedule").getAsString(), payload,
                        Instant.ofEpochMilli(o.get("next").getAsLong())));
            }
        } catch (JsonParseException | IllegalStateException | IllegalArgumentException | NullPointerException
                | UnsupportedOperationException | ClassCastException e) {
            throw new IOException("not a cron job list", e);
        }
        return out;
    }

    /**
     * Replaces the stored jobs.
     *
     * @throws IOException when the file cannot be written
     */
    void write(Collection<Job> jobs) throws IOException {
        JsonArray list = new JsonArray();
        for (Job j : jobs) {
            JsonObject o = new JsonObject();
            o.addProperty("kind", j.kind == Job.Kind.MANIFEST ? "manifest" : "guest");
            o.addProperty("name", j.name);
            o.addProperty("schedule", j.schedule.text());
            if (j.kind == Job.Kind.GUEST) {
                o.addProperty("payload", Base64.getEncoder().encodeToString(j.payload));
            }
            o.addProperty("next", j.next.toEpochMilli());
            list.add(o);
        }
        JsonObject root = new JsonObject();
        root.addProperty("version", VERSION);
        root.add("jobs", list);
        byte[] bytes = root.toString().getBytes(StandardCharsets.UTF_8);
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
