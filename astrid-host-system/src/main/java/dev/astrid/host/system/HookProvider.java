package dev.astrid.host.system;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.CapsuleHandle;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.GuestText;
import dev.astrid.host.spi.HookInput;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.FamilyProvider;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.JsonErrors;
import dev.astrid.host.spi.TypedFamily;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.host.spi.security.TopicPatterns;
import dev.astrid.sys.abi.GuestExports;
import dev.astrid.sys.abi.HookFunctions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;

/**
 * {@code astrid_trigger_hook}: runs a hook on the other loaded capsules and answers their replies.
 *
 * <p>The request is {@code {"hook":"<topic>","payload":<any JSON>}}, strict JSON in valid UTF-8,
 * nested at most {@value #MAX_NESTING} levels. The caller needs the capability
 * {@code trigger_hook}: a list of patterns matched against the hook like topics (same segment
 * count, {@code *} for one segment); without a matching pattern the call traps. Every other loaded
 * capsule without a {@code run} export (run loops take their events from the bus instead) that
 * exports {@code astrid_hook_trigger} is called once per {@code [[interceptor]]} whose {@code event}
 * matches the hook and is covered by that capsule's {@code ipc_subscribe} capability (the rule the
 * bus applies to interceptors), with {@code {"name":"<action>","arguments":[<bytes of the
 * payload's JSON>]}}. The answer is a JSON array of every reply that is non-empty strict JSON, in
 * load order; failures, empty and other replies are left out (and logged). Calls run one after
 * another, each under the timeout of setting {@code hooks.timeout-ms} (10 000 by default); when the
 * caller's own call is cancelled the remaining calls are not made.
 */
public final class HookProvider implements FamilyProvider<HookFunctions> {
    /** The deepest request or reply accepted, as the IPC family and serde's default. */
    static final int MAX_NESTING = 128;

    private static final String FAILED = "trigger_hook failed: ";

    @Override
    public String name() {
        return "astrid-reference-hooks";
    }

    @Override
    public TypedFamily<HookFunctions> typedFamily() {
        return TypedFamily.HOOKS;
    }

    @Override
    public HookFunctions bind(CapsuleContext capsule) {
        Duration timeout = Duration.ofMillis(capsule.settings().getLong("hooks.timeout-ms", 10_000));
        return event -> trigger(capsule, event, timeout);
    }

    private static byte[] trigger(CapsuleContext ctx, byte[] event, Duration timeout) {
        JsonObject request = parse(event);
        String hook = request.get("hook").getAsString();
        if (!TopicPatterns.hasValidSegments(hook)) {
            throw new HostException(FAILED + "hook '" + hook + "' is not a valid dot-separated topic");
        }
        List<String> allowed = ctx.capabilities().triggerHook();
        if (!TopicPatterns.aclPermits(hook, allowed)) {
            throw new HostException(FAILED + "capsule " + ctx.capsuleId() + " may not trigger hook '" + hook + "': "
                    + (allowed.isEmpty() ? "the capsule declares no trigger_hook capability"
                            : "no trigger_hook pattern matches (trigger_hook = " + allowed + ")"));
        }
        byte[] payload;
        try {
            payload = GuestText.encodeStrict(request.get("payload").toString());
        } catch (IllegalArgumentException e) {
            throw new HostException(FAILED + "the event is not valid JSON: a string holds an " + e.getMessage()
                    + " (half of a surrogate pair)");
        }
        Invocation.Caller caller = new Invocation.Caller(null, null, ctx.sessionId(), ctx.clock().instant());
        ByteArrayOutputStream replies = new ByteArrayOutputStream();
        replies.write('[');
        for (CapsuleHandle target : ctx.capsules().all()) {
            if (target.sessionId().equals(ctx.sessionId()) || !target.isLoaded() || target.hasExport(GuestExports.RUN)
                    || !target.hasExport(GuestExports.HOOK_TRIGGER)) {
                continue;
            }
            List<String> subscribe = target.manifest().capabilities().ipcSubscribe();
            for (CapsuleManifest.Interceptor i : target.manifest().interceptors()) {
                if (!TopicPatterns.aclMatches(hook, i.event()) || !TopicPatterns.aclPermits(i.event(), subscribe)) {
                    continue;
                }
                // The host cancels an over-long call by interrupting its thread: make no further calls.
                if (Thread.currentThread().isInterrupted()) {
                    throw new HostException(FAILED + "call interrupted while running hook '" + hook + "'");
                }
                byte[] reply = call(ctx, target, i, hook, payload, caller, timeout);
                if (reply != null) {
                    if (replies.size() > 1) {
                        replies.write(',');
                    }
                    replies.writeBytes(reply);
                }
            }
        }
        replies.write(']');
        return replies.toByteArray();
    }

    /** One interceptor's reply as compact JSON bytes, or null when it gave none that is usable. */
    private static byte[] call(CapsuleContext ctx, CapsuleHandle target, CapsuleManifest.Interceptor i, String hook,
            byte[] payload, Invocation.Caller caller, Duration timeout) {
        String why;
        try {
            byte[] out = target.call(GuestExports.HOOK_TRIGGER, HookInput.encode(i.action(), payload), caller, timeout);
            if (out.length == 0) {
                return null;
            }
            try {
                return GuestText.encodeStrict(parseStrict(GuestText.decodeStrict(out)).toString());
            } catch (IllegalArgumentException e) {
                why = "the reply is not valid JSON: " + e.getMessage();
            }
        } catch (GuestCallException | IllegalArgumentException e) {
            why = e.getMessage();
        }
        ctx.logger().log(System.Logger.Level.WARNING, "hook " + hook + " on " + target.id() + " (" + i.action()
                + ") gave no usable reply: " + why);
        return null;
    }

    private static JsonObject parse(byte[] event) {
        JsonElement el;
        try {
            el = parseStrict(GuestText.decodeStrict(event));
        } catch (IllegalArgumentException e) {
            throw new HostException(FAILED + "the event is not valid JSON: " + e.getMessage());
        }
        if (!el.isJsonObject() || !el.getAsJsonObject().has("hook") || !el.getAsJsonObject().has("payload")
                || !el.getAsJsonObject().get("hook").isJsonPrimitive()
                || !el.getAsJsonObject().get("hook").getAsJsonPrimitive().isString()) {
            throw new HostException(FAILED + "the event must be {\"hook\":\"<topic>\",\"payload\":<JSON>}");
        }
        return el.getAsJsonObject();
    }

    /**
     * One RFC 8259 document: no lenient extensions, no trailing content, at most
     * {@value #MAX_NESTING} levels.
     *
     * @throws IllegalArgumentException with one clear reason
     */
    static JsonElement parseStrict(String text) {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        reader.setNestingLimit(MAX_NESTING);
        try {
            // peek first: Gson would read an empty document as null.
            reader.peek();
            JsonElement value = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("trailing content after the document");
            }
            return value;
        } catch (IOException | JsonParseException e) {
            throw new IllegalArgumentException(JsonErrors.reason(e), e);
        }
    }
}
