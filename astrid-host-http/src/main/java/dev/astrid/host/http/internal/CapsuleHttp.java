package dev.astrid.host.http.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.GuestText;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.JsonErrors;
import dev.astrid.host.spi.PrintableText;
import dev.astrid.host.spi.http.GuardedHttpClient;
import dev.astrid.host.spi.http.GuardedRequest;
import dev.astrid.host.spi.http.GuardedResponse;
import dev.astrid.host.spi.http.GuardedStream;
import dev.astrid.host.spi.http.HttpPolicy;
import dev.astrid.sys.abi.HttpFunctions;
import dev.astrid.sys.abi.HttpStreamFunctions;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP family for one capsule. {@code astrid_http_request}: {@code {"url","method","headers","body"}}
 * in, {@code {"status","headers","body"}} out (CONTRACT §6.3). The streaming imports of SDK 0.2.2
 * (§8.2) take the same request: {@code astrid_http_stream_start} answers
 * {@code {"handle","status","headers"}}, {@code astrid_http_stream_read} the body piece by piece,
 * {@code astrid_http_stream_close} ends a stream. Closing the binding (at unload) ends every stream.
 */
public final class CapsuleHttp implements HttpFunctions, HttpStreamFunctions, AutoCloseable {
    private static final TypeAdapter<JsonElement> ELEMENTS = new Gson().getAdapter(JsonElement.class);
    /** Compact, and {@code <}, {@code >}, {@code &}, {@code =}, {@code '} as themselves, as serde writes them. */
    private static final Gson OUT = new GsonBuilder().disableHtmlEscaping().create();

    private final CapsuleContext capsule;
    private final GuardedHttpClient client;
    private final HttpStreams streams;

    /**
     * Serves a capsule under a policy.
     *
     * @param streamReadTimeout how long one streamed read may wait for data
     */
    public CapsuleHttp(CapsuleContext capsule, HttpPolicy policy, Duration streamReadTimeout) {
        this.capsule = capsule;
        this.client = new GuardedHttpClient(policy);
        this.streams = new HttpStreams(client, streamReadTimeout);
    }

    @Override
    public byte[] httpStreamStart(byte[] requestBytes) {
        Map.Entry<Long, GuardedStream> started = streams.start(parse(requestBytes), capsule.currentInvocation().remaining());
        GuardedStream s = started.getValue();
        JsonObject out = new JsonObject();
        out.addProperty("handle", Long.toUnsignedString(started.getKey()));
        out.addProperty("status", s.status());
        JsonObject headers = new JsonObject();
        s.headers().forEach(headers::addProperty);
        out.add("headers", headers);
        return GuestText.encode(OUT.toJson(out));
    }

    @Override
    public byte[] httpStreamRead(byte[] handle) {
        return streams.read(handle, capsule.currentInvocation().remaining());
    }

    @Override
    public void httpStreamClose(byte[] handle) {
        streams.close(handle);
    }

    /** Ends every open stream. */
    @Override
    public void close() {
        streams.close();
    }

    @Override
    public byte[] httpRequest(byte[] requestBytes) {
        GuardedRequest request = parse(requestBytes);
        GuardedResponse response = client.send(request, capsule.currentInvocation().remaining());
        String body;
        try {
            body = GuestText.decodeStrict(response.body());
        } catch (IllegalArgumentException e) {
            throw new HostException("the response body is not valid UTF-8 (status " + response.status() + ")");
        }
        JsonObject out = new JsonObject();
        out.addProperty("status", response.status());
        JsonObject headers = new JsonObject();
        response.headers().forEach(headers::addProperty);
        out.add("headers", headers);
        out.addProperty("body", body);
        return GuestText.encode(OUT.toJson(out));
    }

    private static GuardedRequest parse(byte[] bytes) {
        JsonObject o = object(bytes);
        JsonElement url = o.get("url");
        if (url == null) {
            throw bad("missing field \"url\"");
        }
        String method = "GET";
        JsonElement m = o.get("method");
        if (m != null && !m.isJsonNull()) {
            method = string("method", m);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        JsonElement h = o.get("headers");
        if (h != null && !h.isJsonNull()) {
            if (!h.isJsonObject()) {
                throw bad("field \"headers\" must be an object of strings, got " + kind(h));
            }
            for (Map.Entry<String, JsonElement> e : h.getAsJsonObject().entrySet()) {
                String key = e.getKey().length() > 100 ? e.getKey().substring(0, 100) + "…" : e.getKey();
                headers.put(e.getKey(), string("headers." + PrintableText.escape(key), e.getValue()));
            }
        }
        byte[] body = new byte[0];
        JsonElement b = o.get("body");
        if (b != null && !b.isJsonNull()) {
            body = GuestText.encode(string("body", b));
        }
        return new GuardedRequest(string("url", url), method, headers, body);
    }

    private static JsonObject object(byte[] request) {
        String text;
        try {
            text = GuestText.decodeStrict(request);
        } catch (IllegalArgumentException e) {
            throw bad("the request is not valid UTF-8");
        }
        JsonElement e;
        try (JsonReader r = new JsonReader(new StringReader(text))) {
            r.setStrictness(Strictness.STRICT);
            try {
                e = ELEMENTS.read(r);
                if (r.peek() != JsonToken.END_DOCUMENT) {
                    throw bad("trailing characters after the JSON value");
                }
            } catch (IOException | JsonParseException | IllegalStateException | NumberFormatException ex) {
                throw bad(JsonErrors.reason(ex));
            }
        } catch (IOException ex) {
            // Closing a StringReader does not fail.
            throw bad(JsonErrors.reason(ex));
        }
        if (!e.isJsonObject()) {
            throw bad("expected a JSON object, got " + kind(e));
        }
        return e.getAsJsonObject();
    }

    private static String string(String field, JsonElement v) {
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
            throw bad("field \"" + field + "\" must be a string, got " + kind(v));
        }
        String s = v.getAsString();
        try {
            GuestText.encodeStrict(s);
        } catch (IllegalArgumentException e) {
            throw bad("field \"" + field + "\" holds an " + e.getMessage());
        }
        return s;
    }

    private static HostException bad(String reason) {
        return new HostException("invalid request: " + reason);
    }

    private static String kind(JsonElement e) {
        if (e.isJsonNull()) {
            return "null";
        }
        if (e.isJsonObject()) {
            return "an object";
        }
        if (e.isJsonArray()) {
            return "an array";
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        return p.isBoolean() ? "a boolean" : p.isNumber() ? "a number" : "a string";
    }
}
