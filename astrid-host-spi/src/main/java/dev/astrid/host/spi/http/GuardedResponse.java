package dev.astrid.host.spi.http;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The final response (after redirects).
 *
 * @param status the status code; 4xx and 5xx are responses like any other
 * @param headers header names in lower case, each with its last value; values that are not
 *     printable ASCII are left out
 * @param body the body bytes, at most the policy's limit
 */
public record GuardedResponse(int status, SortedMap<String, String> headers, byte[] body) {
    /** Copies the headers. */
    public GuardedResponse {
        headers = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(headers));
        body = body.clone();
    }

    /** A response from plain maps. */
    static GuardedResponse of(int status, Map<String, String> headers, byte[] body) {
        return new GuardedResponse(status, new TreeMap<>(headers), body);
    }

    /** The body (a copy). */
    @Override
    public byte[] body() {
        return body.clone();
    }
}
