package dev.astrid.engine.kernel;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.http.GuardedHttpClient;
import dev.astrid.host.spi.http.GuardedRequest;
import dev.astrid.host.spi.http.GuardedResponse;
import dev.astrid.host.spi.http.HttpPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Extism {@code http_request} import: a request described in JSON, sent through the host's
 * {@link GuardedHttpClient} (the same one {@code astrid_http_request} uses) under the plugin's
 * allowed-host globs and the host's address rules.
 */
final class ExtismHttp {
    private final List<String> allowedHosts;
    private final GuardedHttpClient client;
    private int lastStatus;
    private Map<String, String> lastHeaders = Map.of();

    ExtismHttp(List<String> allowedHosts, HttpPolicy policy) {
        this.allowedHosts = List.copyOf(allowedHosts);
        this.client = new GuardedHttpClient(policy);
    }

    int lastStatus() {
        return lastStatus;
    }

    Map<String, String> lastHeaders() {
        return lastHeaders;
    }

    /**
     * Sends the request; returns the response body. Every failure is a {@link KernelTrap}.
     *
     * @param remaining what is left of the guest call's time, when it has a timeout
     */
    byte[] send(byte[] requestJson, byte[] body, Optional<Duration> remaining) {
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
        if (allowedHosts.isEmpty()) {
            throw new KernelTrap("http_request: HTTP is not allowed for this plugin (no allowed hosts; "
                    + "allow one with HostConfig.Builder.allowHost)");
        }
        String method = "GET";
        if (req.has("method")) {
            if (!req.get("method").isJsonPrimitive()) {
                throw new KernelTrap("http_request: \"method\" must be a string");
            }
            method = req.get("method").getAsString();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (req.has("headers") && req.get("headers").isJsonObject()) {
            for (Map.Entry<String, JsonElement> h : req.getAsJsonObject("headers").entrySet()) {
                if (!h.getValue().isJsonPrimitive()) {
                    throw new KernelTrap("http_request: header '" + h.getKey() + "' must be a string");
                }
                headers.put(h.getKey(), h.getValue().getAsString());
            }
        }
        GuardedResponse resp;
        try {
            resp = client.send(new GuardedRequest(url, method, headers, body), remaining);
        } catch (HostException e) {
            throw new KernelTrap("http_request: " + e.getMessage(), e);
        }
        lastStatus = resp.status();
        lastHeaders = resp.headers();
        return resp.body();
    }
}
