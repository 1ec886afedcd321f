package dev.astrid.host.spi.http;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.Locale;

/**
 * Lets the JDK's HTTP client send a {@code Host} header of our choosing. The guarded client
 * connects to the IP address it checked, so the request URI holds that address and the original
 * host name must travel in {@code Host}; the JDK refuses that header unless the system property
 * {@value #PROPERTY} names it. The JDK reads the property once, when its HTTP client internals are
 * first initialised, so it is set (added to any value already there) before this host builds its
 * first request, and checked.
 */
final class RestrictedHeaders {
    static final String PROPERTY = "jdk.httpclient.allowRestrictedHeaders";

    private RestrictedHeaders() {}

    /**
     * Makes sure {@code Host} may be set.
     *
     * @throws IllegalStateException when the JDK client was initialised without it, before this
     *     code ran; the JVM then needs {@code -Djdk.httpclient.allowRestrictedHeaders=host}
     */
    static void allowHost() {
        synchronized (RestrictedHeaders.class) {
            String v = System.getProperty(PROPERTY, "");
            boolean named = Arrays.stream(v.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT)).anyMatch("host"::equals);
            if (!named) {
                System.setProperty(PROPERTY, v.isBlank() ? "host" : v + ",host");
            }
        }
        try {
            HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).header("Host", "probe");
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the JDK HTTP client was initialised before the Astrid host could allow the Host "
                    + "header; start the JVM with -D" + PROPERTY + "=host", e);
        }
    }
}
