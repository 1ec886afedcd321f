package dev.astrid.host.fs.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/** The family's two JSON outputs, compact and UTF-8 encoded. */
final class Json {
    // Immutable and thread-safe. HTML escaping off: names keep '<', '>', '&', '=' and '\'' as they are.
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private Json() {}

    /** {@code ["name",...]} in the collection's order. */
    static byte[] names(Collection<String> names) {
        JsonArray array = new JsonArray();
        names.forEach(array::add);
        return GSON.toJson(array).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code {"size":..,"isDir":..,"mtime":..}}, keys in that order. */
    static byte[] stat(Attrs attrs) {
        JsonObject o = new JsonObject();
        o.addProperty("size", attrs.size());
        o.addProperty("isDir", attrs.isDirectory());
        o.addProperty("mtime", attrs.mtimeSeconds());
        return GSON.toJson(o).getBytes(StandardCharsets.UTF_8);
    }
}
