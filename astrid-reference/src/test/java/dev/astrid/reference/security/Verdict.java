package dev.astrid.reference.security;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.sys.abi.AbiFunction;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What counts as a good end of a call: a result of the documented shape, or a clean trap — a host
 * error whose message starts with {@code astrid_<fn>: } and says why in plain words, with no Java
 * class, stack trace, JSON-library internals or host path in it. A timeout is good only for a call
 * that was allowed to wait. No output and no message may ever hold one of the world's markers.
 */
final class Verdict {
    /** Signs of a Java internal in a message meant for a capsule author. */
    private static final List<Pattern> LEAKS = List.of(
            Pattern.compile("\\b(java|javax|jdk|sun|com\\.google|com\\.fasterxml|com\\.dylibso|org\\.sqlite|org\\.xerial|dev\\.astrid)\\.[a-z]"),
            Pattern.compile("\\b[A-Z][A-Za-z]*(Exception|Error)\\b"),
            Pattern.compile("\\n\\s*at [\\w.$]+\\("),
            Pattern.compile("(?i)\\binternal (host )?error\\b"),
            Pattern.compile("(?i)gson|setStrictness|Troubleshooting|\\bpath \\$"));

    private Verdict() {}

    /** Why the outcome is not acceptable, or null when it is. */
    static String judge(FuzzWorld w, FuzzCase c, DriverCall.Outcome o) {
        if (o.hung()) {
            return "no answer " + FuzzWorld.GRACE.toSeconds() + " s after the call's timeout of " + c.timeout().toMillis() + " ms";
        }
        if (o.unexpected() != null) {
            return "the call failed with something other than a GuestCallException: " + o.unexpected();
        }
        String leak = markerIn(w, o.ok() ? o.output() : o.failure().getMessage().getBytes(StandardCharsets.UTF_8));
        if (leak != null) {
            return (o.ok() ? "the output" : "the message") + " holds " + leak;
        }
        if (!w.provided(c.fn())) {
            String expected = c.fn().symbol() + ": no provider installed";
            if (o.ok() || o.failure().kind() != GuestCallException.Kind.HOST_ERROR || !o.failure().getMessage().equals(expected)) {
                return "a function without a provider must trap '" + expected + "', got " + describe(o);
            }
            return null;
        }
        if (o.ok() && c.fn() == AbiFunction.IPC_PUBLISH) {
            String refused = unpublishable(c.args().get(1).bytes());
            if (refused != null) {
                return "ipc_publish accepted a payload it must refuse: " + refused;
            }
        }
        if (c.fn() == AbiFunction.HTTP_REQUEST) {
            String http = httpOutcome(o);
            if (http != null) {
                return http;
            }
        }
        if (c.fn() == AbiFunction.CRON_SCHEDULE || c.fn() == AbiFunction.CRON_CANCEL) {
            String cron = cronOutcome(c, o);
            if (cron != null) {
                return cron;
            }
        }
        if (o.ok()) {
            String net = netOutput(c.fn(), o.output());
            if (net != null) {
                return net;
            }
        }
        return o.ok() ? judgeOutput(c.fn(), o.output()) : judgeFailure(w, c, o.failure());
    }

    /**
     * What a net call may answer in the fuzz world, where no client ever connects and the only
     * socket name a capsule may bind is {@link FuzzWorld#NET_BIND}, bound as listener 1 before the
     * run: a bind can only answer that listener (a second one would be a descriptor left open), and
     * no stream ever exists, so accept, read, write and close_stream never succeed and poll_accept
     * answers empty.
     */
    static String netOutput(AbiFunction fn, byte[] out) {
        switch (fn) {
            case NET_BIND_UNIX:
                return new String(out, StandardCharsets.UTF_8).equals("1") ? null
                        : "net_bind_unix answered " + Inputs.preview(out) + ", not the one listener 1";
            case NET_POLL_ACCEPT:
                return out.length == 0 ? null : "net_poll_accept answered " + Inputs.preview(out) + " but no client ever connects";
            case NET_ACCEPT: case NET_READ: case NET_WRITE: case NET_CLOSE_STREAM:
                return fn.symbol() + " succeeded, but no client ever connects and no stream exists";
            default:
                return null;
        }
    }

    /** The reasons astrid_http_request may give in the fuzz world (docs/families/http.md), as prefixes. */
    private static final List<String> HTTP_REASONS = List.of("invalid request: ", "unsupported method '",
            "invalid header name '", "invalid value of header '", "request body of ", "unsupported url scheme '",
            "the url must be absolute", "the url has no host", "invalid url '", "credentials in the url are not supported",
            "memory allocation of ", "security denied network access: host '");

    /**
     * What an HTTP request may end as in the fuzz world, where no capsule has a {@code net} list: never
     * a response (nothing may leave the host), only a trap with one of the documented reasons, and a
     * denial only ever because the net list is empty.
     */
    static String httpOutcome(DriverCall.Outcome o) {
        if (o.ok()) {
            return "astrid_http_request answered " + Inputs.preview(o.output()) + ", but no fuzz capsule has a net list";
        }
        String m = o.failure().getMessage() == null ? "" : o.failure().getMessage();
        String prefix = AbiFunction.HTTP_REQUEST.symbol() + ": ";
        if (o.failure().kind() != GuestCallException.Kind.HOST_ERROR || !m.startsWith(prefix)) {
            return null; // the general rules judge it
        }
        String reason = m.substring(prefix.length());
        if (HTTP_REASONS.stream().noneMatch(reason::startsWith)) {
            return "astrid_http_request trapped with an undocumented reason: " + m;
        }
        if (reason.startsWith("security denied network access: host '") && !reason.endsWith("is not in the capsule's net list (it is empty)")) {
            return "astrid_http_request was denied for another reason than the empty net list: " + m;
        }
        return null;
    }

    /**
     * The cron functions in the fuzz world (docs/families/cron.md), where abi-driver exports no
     * astrid_cron_trigger: a schedule is never accepted, and traps for its name, its schedule, its
     * payload or the missing export; a cancel of a valid name (non-empty printable UTF-8 of at most
     * 256 bytes) succeeds with no result, whether or not the job exists, and of any other name traps.
     */
    static String cronOutcome(FuzzCase c, DriverCall.Outcome o) {
        String fn = c.fn().symbol() + ": ";
        String m = o.ok() ? "" : o.failure().getMessage();
        if (c.fn() == AbiFunction.CRON_SCHEDULE) {
            if (o.ok()) {
                return "astrid_cron_schedule accepted a job from a capsule that exports no astrid_cron_trigger";
            }
            return List.of("the job name ", "invalid schedule", "the payload is ", "memory allocation of ").stream()
                    .anyMatch(r -> m.startsWith(fn + r)) || m.matches(java.util.regex.Pattern.quote(fn)
                            + "capsule [a-z-]+ does not export astrid_cron_trigger, .*")
                    ? null : "astrid_cron_schedule trapped for an undocumented reason: " + m;
        }
        byte[] name = c.args().get(0).bytes();
        String text;
        try {
            text = text(name);
        } catch (CharacterCodingException e) {
            text = null;
        }
        boolean valid = text != null && name.length > 0 && name.length <= 256
                && dev.astrid.host.spi.PrintableText.escape(text).equals(text);
        if (valid) {
            return o.ok() && o.output().length == 0 ? null
                    : "astrid_cron_cancel of the valid name " + Inputs.preview(name) + " must succeed, got " + describe(o);
        }
        return !o.ok() && (m.startsWith(fn + "the job name ") || m.startsWith(fn + "memory allocation of ")) ? null
                : "astrid_cron_cancel of the invalid name " + Inputs.preview(name) + " must trap naming the name, got " + describe(o);
    }

    /**
     * Why a publish payload must be refused, or null: it is not UTF-8 (docs/families/ipc.md), or a
     * name or string in it holds a lone surrogate, which no UTF-8 can carry to a subscriber.
     */
    static String unpublishable(byte[] payload) {
        String text;
        try {
            text = text(payload);
        } catch (CharacterCodingException e) {
            return "it is not valid UTF-8";
        }
        try (JsonReader r = new JsonReader(new StringReader(text))) {
            r.setStrictness(Strictness.LENIENT);
            for (JsonToken t = r.peek(); t != JsonToken.END_DOCUMENT; t = r.peek()) {
                String s = null;
                switch (t) {
                    case BEGIN_ARRAY: r.beginArray(); break;
                    case END_ARRAY: r.endArray(); break;
                    case BEGIN_OBJECT: r.beginObject(); break;
                    case END_OBJECT: r.endObject(); break;
                    case NAME: s = r.nextName(); break;
                    case STRING: s = r.nextString(); break;
                    default: r.skipValue();
                }
                if (s != null && hasLoneSurrogate(s)) {
                    return "a string holds a lone surrogate";
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return null; // not JSON this reader can walk: the parser's own verdict stands
        }
        return null;
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch)) {
                return true;
            }
        }
        return false;
    }

    private static String judgeFailure(FuzzWorld w, FuzzCase c, GuestCallException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (e.kind() == GuestCallException.Kind.TIMEOUT && c.mayBlock() && m.startsWith("timed out after ")) {
            return null;
        }
        if (e.kind() != GuestCallException.Kind.HOST_ERROR) {
            return "ended as " + e.kind() + " (" + m + "), not as a documented result or a clean trap";
        }
        if (!m.startsWith(c.fn().symbol() + ": ") || m.length() == c.fn().symbol().length() + 2) {
            return "the trap message does not start with '" + c.fn().symbol() + ": <reason>': " + m;
        }
        for (Pattern p : LEAKS) {
            if (p.matcher(m).find()) {
                return "the trap message leaks an internal (" + p.pattern() + "): " + m;
            }
        }
        for (String path : List.of(w.root.toString(), w.outside.toString())) {
            if (m.contains(path) && c.args().stream().noneMatch(a -> new String(a.bytes(), StandardCharsets.UTF_8).contains(path))) {
                return "the trap message names a host path the guest never gave: " + m;
            }
        }
        return null;
    }

    /** The documented shape of each function's result (docs/abi.md, docs/families). */
    static String judgeOutput(AbiFunction fn, byte[] out) {
        if (!fn.returnsBytes()) {
            return out.length == 0 ? null : "a function without a result answered " + out.length + " bytes";
        }
        try {
            switch (fn) {
                case FS_EXISTS:
                    return out.length == 0 || text(out).equals("true") ? null : "fs_exists answers 'true' or nothing";
                case FS_READDIR: case KV_LIST_KEYS:
                    for (JsonElement e : json(out).getAsJsonArray()) {
                        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                            return "not an array of strings";
                        }
                    }
                    return null;
                case FS_STAT: {
                    JsonObject o = json(out).getAsJsonObject();
                    return o.keySet().equals(java.util.Set.of("size", "isDir", "mtime")) && o.get("isDir").getAsJsonPrimitive().isBoolean()
                            && o.get("size").getAsLong() >= 0 ? null : "not {size, isDir, mtime}";
                }
                case IPC_SUBSCRIBE: case KV_CLEAR_PREFIX: case CLOCK_MS: case NET_BIND_UNIX: case NET_ACCEPT:
                    return text(out).matches("[0-9]+") ? null : "not a decimal number";
                case NET_POLL_ACCEPT:
                    return out.length == 0 || text(out).matches("[0-9]+") ? null : "neither empty nor a decimal handle";
                case IPC_POLL: case IPC_RECV: {
                    JsonObject o = json(out).getAsJsonObject();
                    return o.get("messages").isJsonArray() && o.get("dropped").getAsLong() >= 0 && o.get("lagged").getAsLong() >= 0
                            ? null : "not an envelope {messages, dropped, lagged}";
                }
                case UPLINK_REGISTER:
                    return text(out).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}") ? null : "not a UUID";
                case UPLINK_SEND:
                    return json(out).getAsJsonObject().get("ok").getAsJsonPrimitive().isBoolean() ? null : "no boolean ok";
                case GET_CALLER:
                    return json(out).isJsonObject() ? null : "not an object";
                case TRIGGER_HOOK: case GET_INTERCEPTOR_HANDLES:
                    return json(out).isJsonArray() ? null : "not an array";
                case HAS_SECRET:
                    return json(out).getAsJsonObject().get("exists").getAsJsonPrimitive().isBoolean() ? null : "not {exists}";
                case ELICIT:
                    // Fuzz calls run in the driver's own export, never in astrid_install or astrid_upgrade.
                    return "elicit answered outside an install or upgrade: " + Inputs.preview(out);
                case REQUEST_APPROVAL: {
                    // The fuzz hosts have nobody to ask and no standing policy: every request is denied.
                    JsonObject o = json(out).getAsJsonObject();
                    return o.keySet().equals(Set.of("approved", "decision")) && o.get("approved").getAsJsonPrimitive().isBoolean()
                            && !o.get("approved").getAsBoolean() && o.get("decision").getAsString().equals("deny")
                            ? null : "not {approved: false, decision: deny}";
                }
                case CHECK_CAPSULE_CAPABILITY:
                    return json(out).getAsJsonObject().get("allowed").getAsJsonPrimitive().isBoolean() ? null : "not {allowed}";
                case IDENTITY_RESOLVE:
                    return json(out).getAsJsonObject().get("found").getAsJsonPrimitive().isBoolean() ? null : "no boolean found";
                case IDENTITY_LINK: case IDENTITY_UNLINK: case IDENTITY_CREATE_USER: case IDENTITY_LIST_LINKS:
                    return json(out).getAsJsonObject().get("ok").getAsJsonPrimitive().isBoolean() ? null : "no boolean ok";
                case SPAWN_HOST:
                    return processAnswer(json(out).getAsJsonObject(), Set.of("stdout", "stderr", "exit_code"), false,
                            Set.of("timed_out"));
                case SPAWN_BACKGROUND_HOST: {
                    JsonObject o = json(out).getAsJsonObject();
                    return o.keySet().equals(Set.of("id")) && o.get("id").getAsJsonPrimitive().isNumber()
                            && o.get("id").getAsString().matches("[1-9][0-9]*") ? null : "not {id: a positive integer}";
                }
                case READ_PROCESS_LOGS_HOST:
                    return processAnswer(json(out).getAsJsonObject(), Set.of("stdout", "stderr", "running", "exit_code"), true,
                            Set.of());
                case KILL_PROCESS_HOST: {
                    JsonObject o = json(out).getAsJsonObject();
                    if (!o.has("killed") || !o.get("killed").isJsonPrimitive() || !o.get("killed").getAsBoolean()) {
                        return "not {killed: true, ...}";
                    }
                    return processAnswer(o, Set.of("killed", "stdout", "stderr", "exit_code"), true, Set.of());
                }
                default:
                    return null; // raw bytes: read_file, kv_get, get_config, net_read
            }
        } catch (RuntimeException | CharacterCodingException e) {
            return "the result is not of the documented shape (" + e.getMessage() + "): " + Inputs.preview(out);
        }
    }

    /**
     * The answers of the process functions (docs/families/process.md): the required keys, string
     * {@code stdout} and {@code stderr}, an integer {@code exit_code} (or null where allowed), a
     * boolean {@code running} where present, and nothing else but positive {@code *_dropped}
     * counts and the flags given.
     */
    private static String processAnswer(JsonObject o, Set<String> required, boolean nullExitCode, Set<String> flags) {
        for (String key : o.keySet()) {
            if (!required.contains(key) && !flags.contains(key) && !key.equals("stdout_dropped") && !key.equals("stderr_dropped")) {
                return "unexpected key " + key;
            }
        }
        if (!o.keySet().containsAll(required)) {
            return "missing one of " + required;
        }
        for (String key : List.of("stdout", "stderr")) {
            if (!o.get(key).isJsonPrimitive() || !o.get(key).getAsJsonPrimitive().isString()) {
                return key + " is not a string";
            }
        }
        for (String key : List.of("stdout_dropped", "stderr_dropped")) {
            if (o.has(key) && !o.get(key).getAsString().matches("[1-9][0-9]*")) {
                return key + " is not a positive integer";
            }
        }
        for (String flag : flags) {
            if (o.has(flag) && !(o.get(flag).isJsonPrimitive() && o.get(flag).getAsJsonPrimitive().isBoolean()
                    && o.get(flag).getAsBoolean())) {
                return flag + " is present but not true";
            }
        }
        if (o.has("running") && !(o.get("running").isJsonPrimitive() && o.get("running").getAsJsonPrimitive().isBoolean())) {
            return "running is not a boolean";
        }
        JsonElement code = o.get("exit_code");
        boolean integer = code.isJsonPrimitive() && code.getAsJsonPrimitive().isNumber() && code.getAsString().matches("-?[0-9]+");
        return integer || (nullExitCode && code.isJsonNull()) ? null : "exit_code is not an integer" + (nullExitCode ? " or null" : "");
    }

    /** Strict UTF-8. */
    private static String text(byte[] b) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
    }

    /** One strict JSON document in strict UTF-8. */
    private static JsonElement json(byte[] b) throws CharacterCodingException {
        JsonReader r = new JsonReader(new StringReader(text(b)));
        r.setStrictness(Strictness.STRICT);
        JsonElement e = JsonParser.parseReader(r);
        try {
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalStateException("trailing content");
            }
        } catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
        return e;
    }

    private static String markerIn(FuzzWorld w, byte[] b) {
        String s = new String(b, StandardCharsets.ISO_8859_1);
        for (String m : w.markers) {
            if (s.contains(m)) {
                return "the marker " + m.substring(0, m.indexOf("-MARKER")) + " (data it must never see)";
            }
        }
        return null;
    }

    static String describe(DriverCall.Outcome o) {
        if (o.ok()) {
            return "output [" + o.output().length + " bytes] " + Inputs.preview(o.output());
        }
        if (o.failure() != null) {
            return o.failure().kind() + ": " + o.failure().getMessage();
        }
        return o.hung() ? "no answer" : String.valueOf(o.unexpected());
    }
}
