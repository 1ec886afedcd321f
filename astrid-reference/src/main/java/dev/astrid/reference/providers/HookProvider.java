package dev.astrid.reference.providers;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.CapsuleHandle;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.host.spi.security.TopicPatterns;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.HookFunctions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code astrid_trigger_hook}: runs a hook on the other loaded capsules and answers their replies.
 *
 * <p>The request is {@code {"hook":"<topic>","payload":<any JSON>}}. Every other loaded capsule
 * without a {@code run} export (run loops take their events from the bus instead) that exports
 * {@code astrid_hook_trigger} is called once per {@code [[interceptor]]} whose {@code event}
 * matches the hook (same segment count, {@code *} for one segment), with
 * {@code {"name":"<action>","arguments":[<bytes of the payload's JSON>]}}. The answer is a JSON
 * array of every reply that is non-empty JSON, in load order; failures, empty and non-JSON replies
 * are left out (and logged). Calls run one after another, each under the timeout of setting
 * {@code hooks.timeout-ms} (10 000 by default).
 */
public final class HookProvider implements HostProvider {
    @Override
    public String name() {
        return "astrid-reference-hooks";
    }

    @Override
    public Family family() {
        return Family.HOOKS;
    }

    @Override
    public Object bind(CapsuleContext capsule) {
        Duration timeout = Duration.ofMillis(capsule.settings().getLong("hooks.timeout-ms", 10_000));
        return (HookFunctions) event -> trigger(capsule, event, timeout);
    }

    private static byte[] trigger(CapsuleContext ctx, byte[] event, Duration timeout) {
        JsonObject request = parse(event);
        String hook = request.get("hook").getAsString();
        if (!TopicPatterns.hasValidSegments(hook)) {
            throw new HostException("trigger_hook failed: hook '" + hook + "' is not a valid dot-separated topic");
        }
        JsonArray arguments = new JsonArray();
        for (byte b : request.get("payload").toString().getBytes(StandardCharsets.UTF_8)) {
            arguments.add(b & 0xff);
        }
        Invocation.Caller caller = new Invocation.Caller(null, null, ctx.sessionId(), ctx.clock().instant());
        JsonArray replies = new JsonArray();
        for (CapsuleHandle target : ctx.capsules().all()) {
            if (target.sessionId().equals(ctx.sessionId()) || !target.isLoaded() || target.hasExport("run")
                    || !target.hasExport("astrid_hook_trigger")) {
                continue;
            }
            for (CapsuleManifest.Interceptor i : target.manifest().interceptors()) {
                if (!TopicPatterns.aclMatches(hook, i.event())) {
                    continue;
                }
                JsonObject input = new JsonObject();
                input.addProperty("name", i.action());
                input.add("arguments", arguments);
                try {
                    byte[] out = target.call("astrid_hook_trigger", input.toString().getBytes(StandardCharsets.UTF_8),
                            caller, timeout);
                    if (out.length > 0) {
                        replies.add(JsonParser.parseString(new String(out, StandardCharsets.UTF_8)));
                    }
                } catch (GuestCallException | JsonParseException e) {
                    ctx.logger().log(System.Logger.Level.WARNING, "hook " + hook + " on " + target.id() + " ("
                            + i.action() + ") gave no usable reply: " + e.getMessage());
                }
            }
        }
        return replies.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject parse(byte[] event) {
        JsonElement el;
        try {
            el = JsonParser.parseString(new String(event, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw new HostException("trigger_hook failed: the event is not valid JSON: " + e.getMessage());
        }
        if (!el.isJsonObject() || !el.getAsJsonObject().has("hook") || !el.getAsJsonObject().has("payload")
                || !el.getAsJsonObject().get("hook").isJsonPrimitive()
                || !el.getAsJsonObject().get("hook").getAsJsonPrimitive().isString()) {
            throw new HostException("trigger_hook failed: the event must be {\"hook\":\"<topic>\",\"payload\":<JSON>}");
        }
        return el.getAsJsonObject();
    }
}
