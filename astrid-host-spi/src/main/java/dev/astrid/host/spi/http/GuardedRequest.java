package dev.astrid.host.spi.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request as a capsule describes it.
 *
 * @param url the absolute {@code http} or {@code https} URL
 * @param method the method, any case; GET, POST, PUT, DELETE, PATCH, HEAD or OPTIONS
 * @param headers header names and values, in order
 * @param body the body, empty for none
 */
public record GuardedRequest(String url, String method, Map<String, String> headers, byte[] body) {
    /** Copies the headers, keeping their order. */
    public GuardedRequest {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(method, "method");
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        body = body.clone();
    }

    /** The body (a copy). */
    @Override
    public byte[] body() {
        return body.clone();
    }
}
