package dev.astrid.host.process.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.astrid.host.spi.GuestText;

/**
 * The JSON answers. Output is decoded as lossy UTF-8 (invalid bytes become U+FFFD), as upstream.
 * Fields beyond upstream's ({@code stdout_dropped}, {@code stderr_dropped}, {@code timed_out})
 * appear only when they have something to say.
 */
final class Replies {
    // Nulls are written (exit_code: null); no HTML escaping, as serde_json.
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private Replies() {}

    /** {@code astrid_spawn_host}: {@code {"stdout","stderr","exit_code"}}. */
    static byte[] finished(Capture out, Capture err, int exitCode, boolean timedOut) {
        JsonObject o = new JsonObject();
        o.addProperty("stdout", GuestText.decodeLossy(out.bytes()));
        o.addProperty("stderr", GuestText.decodeLossy(err.bytes()));
        o.addProperty("exit_code", exitCode);
        dropped(o, "stdout_dropped", out.dropped());
        dropped(o, "stderr_dropped", err.dropped());
        if (timedOut) {
            o.addProperty("timed_out", true);
        }
        return bytes(o);
    }

    /** {@code astrid_spawn_background_host}: {@code {"id":N}}. */
    static byte[] started(long id) {
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        return bytes(o);
    }

    /** {@code astrid_read_process_logs_host}: {@code {"stdout","stderr","running","exit_code"}}. */
    static byte[] logs(Ring.Drained out, Ring.Drained err, boolean running, Integer exitCode) {
        JsonObject o = new JsonObject();
        o.addProperty("stdout", GuestText.decodeLossy(out.bytes()));
        o.addProperty("stderr", GuestText.decodeLossy(err.bytes()));
        o.addProperty("running", running);
        exitCode(o, exitCode);
        dropped(o, "stdout_dropped", out.dropped());
        dropped(o, "stderr_dropped", err.dropped());
        return bytes(o);
    }

    /** {@code astrid_kill_process_host}: {@code {"killed":true,"exit_code","stdout","stderr"}}. */
    static byte[] killed(Ring.Drained out, Ring.Drained err, Integer exitCode) {
        JsonObject o = new JsonObject();
        o.addProperty("killed", true);
        exitCode(o, exitCode);
        o.addProperty("stdout", GuestText.decodeLossy(out.bytes()));
        o.addProperty("stderr", GuestText.decodeLossy(err.bytes()));
        dropped(o, "stdout_dropped", out.dropped());
        dropped(o, "stderr_dropped", err.dropped());
        return bytes(o);
    }

    private static void exitCode(JsonObject o, Integer code) {
        if (code == null) {
            o.add("exit_code", JsonNull.INSTANCE);
        } else {
            o.addProperty("exit_code", code);
        }
    }

    private static void dropped(JsonObject o, String key, long n) {
        if (n > 0) {
            o.addProperty(key, n);
        }
    }

    private static byte[] bytes(JsonObject o) {
        return GuestText.encode(GSON.toJson(o));
    }
}
