package dev.astrid.engine.kernel;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.astrid.host.spi.security.HostPatterns;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Extism {@code http_request} import: a request described in JSON, sent only to hosts that
 * match one of the plugin's allowed-host globs.
 */
final class ExtismHttp {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final List<String> allowedHosts;
    private final long maxResponseBytes;
    private HttpClient client;
    private int lastStatus;
    private Map<String, String> lastHeaders = Map.of();

    ExtismHttp(List<String> allowedHosts, long maxResponseBytes) {
        this.allowedHosts = List.copyOf(allowedHosts);
        this.maxResponseBytes = maxResponseBytes;
    }

    int lastStatus() {
        return lastStatus;
    }

    Map<String, String> lastHeaders() {
        return lastHeaders;
    }

    /** Sends the request; returns the response body. Every failure is a {@link KernelTrap}. */
    byte[] send(byte[] requestJson, byte[] body) {
        JsonObject req;
        try {
            JsonElement el = JsonParser.parseString(new String(requestJson, StandardCharsets.UTF_8));
            if (!el.isJsonObject()) {
                throw new KernelTrap("http_request: the request must be a JSON object");
            }
            req = el.getAsJsonObject();
        } catch (JsonParseException e) {
            // Gson's message names its own classes and parser state; the guest needs only the verdict.
            throw new KernelTrap("http_request: the request is not valid JSON");
        }
        if (!req.has("url") || !req.get("url").isJsonPrimitive()) {
            throw new KernelTrap("http_request: the request has no \"url\" string");
        }
        String url = req.get("url").getAsString();
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new KernelTrap("http_request: invalid url '" + url + "': " + e.getMessage());
        }
        String host = uri.getHost();
        if (host == null || (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme()))) {
            throw new KernelTrap("http_request: url must be http(s) with a host: " + url);
        }
        if (allowedHosts.isEmpty()) {
            throw new KernelTrap("http_request: HTTP is not allowed for this plugin (no allowed hosts; "
                    + "allow one with HostConfig.Builder.allowHost)");
        }
        if (allowedHosts.stream().noneMatch(p -> HostPatterns.globMatches(host, p))) {
            throw new KernelTrap("http_request: host '" + host + "' is not allowed (allowed: "
                    + String.join(", ", allowedHosts) + ")");
        }
        String method = "GET";
        if (req.has("method")) {
            if (!req.get("method").isJsonPrimitive()) {
                throw new KernelTrap("http_request: \"method\" must be a string");
            }
            method = req.get("method").getAsString().toUpperCase(Locale.ROOT);
        }
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(uri).timeout(TIMEOUT);
        } catch (IllegalArgumentException e) {
            throw new KernelTrap("http_request: invalid url '" + url + "': " + e.getMessage());
        }
        if (req.has("headers") && req.get("headers").isJsonObject()) {
            for (Map.Entry<String, JsonElement> h : req.getAsJsonObject("headers").entrySet()) {
                if (!h.getValue().isJsonPrimitive()) {
                    throw new KernelTrap("http_request: header '" + h.getKey() + "' must be a string");
                }
                try {
                    b.header(h.getKey(), h.getValue().getAsString());
                } catch (IllegalArgumentException e) {
                    throw new KernelTrap("http_request: invalid header '" + h.getKey() + "': " + e.getMessage());
                }
            }
        }
        try {
            b.method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
        } catch (IllegalArgumentException e) {
            throw new KernelTrap("http_request: invalid method '" + method + "'");
        }
        try {
            HttpResponse<InputStream> resp = client().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] out;
            try (InputStream in = resp.body()) {
                out = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, maxResponseBytes + 1));
            }
            if (out.length > maxResponseBytes) {
                throw new KernelTrap("http_request: response body exceeds " + maxResponseBytes + " bytes");
            }
            lastStatus = resp.statusCode();
            Map<String, String> headers = new TreeMap<>();
            resp.headers().map().forEach((k, v) -> {
                if (!v.isEmpty()) {
                    headers.put(k.toLowerCase(Locale.ROOT), v.get(v.size() - 1));
                }
            });
            lastHeaders = headers;
            return out;
        } catch (IOException | IllegalArgumentException e) {
            throw new KernelTrap("http_request: " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelTrap("http_request: interrupted");
        }
    }

    private HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
        }
        return client;
    }
}
