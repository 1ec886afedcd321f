package dev.astrid.host.identity.json;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.astrid.host.identity.AstridUser;
import dev.astrid.host.identity.PlatformLink;
import dev.astrid.host.spi.Rfc3339;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JSON answers of the identity functions, compact, with upstream's field names and an
 * absent optional field left out rather than written as {@code null}.
 */
final class Replies {
    // serde_json does not escape <, >, & or '; neither do we.
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private Replies() {}

    /** {@code {"found":true,"user_id":..,"display_name":..}}, the name left out when there is none. */
    static byte[] found(AstridUser user) {
        JsonObject o = new JsonObject();
        o.addProperty("found", true);
        o.addProperty("user_id", user.id().toString());
        user.displayName().ifPresent(name -> o.addProperty("display_name", name));
        return bytes(o);
    }

    /** {@code {"found":false}}: the account is not linked. */
    static byte[] notFound() {
        JsonObject o = new JsonObject();
        o.addProperty("found", false);
        return bytes(o);
    }

    /** {@code {"found":false,"error":..}}: resolve failed. */
    static byte[] notFound(String error) {
        JsonObject o = new JsonObject();
        o.addProperty("found", false);
        o.addProperty("error", error);
        return bytes(o);
    }

    /** {@code {"ok":true,"link":{..}}}. */
    static byte[] linked(PlatformLink link) {
        JsonObject o = ok();
        o.add("link", link(link));
        return bytes(o);
    }

    /** {@code {"ok":true,"removed":..}}. */
    static byte[] unlinked(boolean removed) {
        JsonObject o = ok();
        o.addProperty("removed", removed);
        return bytes(o);
    }

    /** {@code {"ok":true,"user_id":..}}. */
    static byte[] created(AstridUser user) {
        JsonObject o = ok();
        o.addProperty("user_id", user.id().toString());
        return bytes(o);
    }

    /** {@code {"ok":true,"links":[..]}}. */
    static byte[] links(List<PlatformLink> links) {
        JsonArray array = new JsonArray(links.size());
        links.forEach(l -> array.add(link(l)));
        JsonObject o = ok();
        o.add("links", array);
        return bytes(o);
    }

    /** {@code {"ok":false,"error":..}}. */
    static byte[] failed(String error) {
        JsonObject o = new JsonObject();
        o.addProperty("ok", false);
        o.addProperty("error", error);
        return bytes(o);
    }

    private static JsonObject ok() {
        JsonObject o = new JsonObject();
        o.addProperty("ok", true);
        return o;
    }

    private static JsonObject link(PlatformLink link) {
        JsonObject o = new JsonObject();
        o.addProperty("platform", link.platform());
        o.addProperty("platform_user_id", link.platformUserId());
        o.addProperty("astrid_user_id", link.userId().toString());
        o.addProperty("linked_at", Rfc3339.format(link.linkedAt(), Rfc3339.Utc.PLUS_00_00));
        o.addProperty("method", link.method());
        return o;
    }

    private static byte[] bytes(JsonObject o) {
        return GSON.toJson(o).getBytes(StandardCharsets.UTF_8);
    }
}
