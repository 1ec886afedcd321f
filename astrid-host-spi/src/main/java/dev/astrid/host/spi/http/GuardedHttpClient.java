package dev.astrid.host.spi.http;

import dev.astrid.host.spi.HostException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Sends a capsule's HTTP request under an {@link HttpPolicy}, on {@link HttpClient}.
 *
 * <p>For each hop (the request, then every redirect) the host name must pass the policy's
 * {@link HostRule}; then the host resolves the name itself, drops every address
 * {@link AddressRules} refuses (unless private addresses are allowed) and fails when none is left,
 * and connects to a checked address: the request URI carries that IP address, the original name
 * goes in the {@code Host} header (which needs the system property
 * {@code jdk.httpclient.allowRestrictedHeaders} to name {@code host}; the constructor sees to it), and for {@code https} the name
 * is sent as SNI, which the JDK's trust manager verifies the certificate against (endpoint
 * identification stays {@code HTTPS}). There is no second lookup a rebinding DNS server could
 * answer differently. HTTP/1.1 only, no proxy, redirects followed here (never by the JDK).
 *
 * <p>Every failure is a {@link HostException} whose message is the reason in plain words, without
 * the function name. The client keeps a few JDK clients (one per TLS host name, for SNI), at most
 * eight; it is safe to use from several threads.
 */
public final class GuardedHttpClient {
    /** JDK clients kept, the least recently used dropped first. */
    static final int MAX_CLIENTS = 8;
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
    /** Set by the JDK client from the request; a capsule's value for them is ignored. */
    private static final Set<String> HOST_SET = Set.of("host", "connection", "content-length", "expect", "upgrade");
    /** Dropped when a redirect leaves the host. */
    private static final Set<String> CREDENTIALS = Set.of("authorization", "cookie", "proxy-authorization");

    private final HttpPolicy policy;
    private final Map<String, HttpClient> clients = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, HttpClient> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    /**
     * A client.
     *
     * @throws IllegalStateException when the JDK's HTTP client cannot be made to send a {@code Host}
     *     header: it was initialised before, without the property; start the JVM with
     *     {@code -Djdk.httpclient.allowRestrictedHeaders=host}
     */
    public GuardedHttpClient(HttpPolicy policy) {
        this.policy = policy;
        RestrictedHeaders.allowHost();
    }

    /** The policy. */
    public HttpPolicy policy() {
        return policy;
    }

    /**
     * Sends the request and follows redirects.
     *
     * @param callRemaining what is left of the guest call's time, when it has a deadline
     * @throws HostException for a refused request (host, address, method, header, size) and for
     *     every transport failure or timeout
     */
    public GuardedResponse send(GuardedRequest request, Optional<Duration> callRemaining) {
        long deadline = deadline(policy.totalTimeout(), callRemaining);
        HttpResponse<byte[]> response = follow(request, deadline, this::boundedBody, r -> { }).response;
        return GuardedResponse.of(response.statusCode(), responseHeaders(response.headers()), response.body());
    }

    /**
     * Sends the request under the same checks as {@link #send} (host rule, addresses, method,
     * headers, request body size, redirects checked hop by hop) and returns as soon as the final
     * response's headers are in, which must happen within the total timeout and the call's time
     * (redirects included); its body is then read piece by piece from the {@link GuardedStream},
     * without the response body limit or the total timeout.
     *
     * @param callRemaining what is left of the guest call's time, when it has a deadline
     * @throws HostException as {@link #send} does
     */
    public GuardedStream open(GuardedRequest request, Optional<Duration> callRemaining) {
        long deadline = deadline(policy.totalTimeout(), callRemaining);
        Final<StreamingBody> last = follow(request, deadline, (info, bodiless) -> new StreamingBody(),
                r -> r.body().cancel());
        String host = "'" + Shown.of(last.target.host) + "'";
        return new GuardedStream(last.response.statusCode(), responseHeaders(last.response.headers()),
                last.response.body(), host, cause -> reason(cause, host));
    }

    /** The deadline of a call: the budget, cut to what is left of the guest call. */
    private static long deadline(Duration budget, Optional<Duration> callRemaining) {
        if (callRemaining.isPresent() && callRemaining.get().compareTo(budget) < 0) {
            budget = callRemaining.get();
        }
        if (budget.isNegative() || budget.isZero()) {
            throw new HostException("the call has no time left for a request");
        }
        return System.nanoTime() + budget.toNanos();
    }

    /** How a response body is taken in: a subscriber the exchange can cancel. */
    private interface BodyFactory<T> {
        /** A subscriber for a response; {@code bodiless} for the answer to a {@code HEAD}. */
        CancellableBody<T> create(HttpResponse.ResponseInfo info, boolean bodiless);
    }

    /** The final response and the URL it came from. */
    private static final class Final<T> {
        final HttpResponse<T> response;
        final Target target;

        Final(HttpResponse<T> response, Target target) {
            this.response = response;
            this.target = target;
        }
    }

    /** The redirect loop: every hop checked like the first; {@code discard} frees a redirect's response. */
    private <T> Final<T> follow(GuardedRequest request, long deadline, BodyFactory<T> bodies,
            java.util.function.Consumer<HttpResponse<T>> discard) {
        String method = request.method().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new HostException("unsupported method '" + Shown.of(request.method())
                    + "' (GET, POST, PUT, DELETE, PATCH, HEAD or OPTIONS)");
        }
        Map<String, String> headers = checkedHeaders(request.headers());
        byte[] body = request.body();
        if (body.length > policy.maxRequestBytes()) {
            throw new HostException("request body of " + body.length + " bytes exceeds the limit of "
                    + policy.maxRequestBytes() + " bytes");
        }
        Target target = Target.parse(request.url());
        for (int hop = 0;; hop++) {
            if (!policy.hosts().allows(target.host)) {
                throw new HostException((hop == 0 ? "" : "redirect refused: ") + policy.hosts().denial(target.host));
            }
            List<InetAddress> addresses = checkedAddresses(target, hop > 0);
            HttpResponse<T> response = exchange(target, addresses, method, headers, body, deadline, bodies);
            Optional<String> location = response.headers().firstValue("location");
            int status = response.statusCode();
            boolean redirect = (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
                    && location.isPresent();
            if (!redirect) {
                return new Final<>(response, target);
            }
            discard.accept(response);
            if (hop >= policy.maxRedirects()) {
                throw new HostException("too many redirects (more than " + policy.maxRedirects() + ")");
            }
            Target next = target.resolve(location.get());
            if ((status == 303 && !method.equals("HEAD")) || ((status == 301 || status == 302) && method.equals("POST"))) {
                method = "GET";
                body = new byte[0];
                headers.keySet().removeIf(k -> k.equalsIgnoreCase("content-type"));
            }
            if (!next.host.equals(target.host)) {
                headers.keySet().removeIf(k -> CREDENTIALS.contains(k.toLowerCase(Locale.ROOT)));
            }
            target = next;
        }
    }

    /** A body read whole, up to the policy's limit. */
    private CancellableBody<byte[]> boundedBody(HttpResponse.ResponseInfo info, boolean bodiless) {
        // A HEAD answer (and a 204 or 304) announces a length it never sends.
        long length = bodiless || info.statusCode() == 204 || info.statusCode() == 304 ? -1
                : info.headers().firstValueAsLong("content-length").orElse(-1);
        BoundedBody s = new BoundedBody(policy.maxResponseBytes());
        if (length > policy.maxResponseBytes()) {
            s.cancel();
            s.onError(new BoundedBody.TooLarge(policy.maxResponseBytes()));
        }
        return s;
    }

    // ---- checks ------------------------------------------------------------------------------------

    private static Map<String, String> checkedHeaders(Map<String, String> in) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : in.entrySet()) {
            String name = h.getKey();
            String value = h.getValue();
            if (!isToken(name)) {
                throw new HostException("invalid header name '" + Shown.of(name)
                        + "' (letters, digits and !#$%&'*+-.^_`|~ only)");
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\r' || c == '\n') {
                    throw new HostException("invalid value of header '" + name + "': it holds a line break");
                }
                if (!(c == '\t' || (c >= 0x20 && c < 0x7f))) {
                    throw new HostException("invalid value of header '" + name + "': only printable ASCII, space and tab");
                }
            }
            if (!HOST_SET.contains(name.toLowerCase(Locale.ROOT))) {
                out.put(name, value);
            }
        }
        return out;
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private List<InetAddress> checkedAddresses(Target target, boolean redirect) {
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(target.host);
        } catch (UnknownHostException e) {
            throw new HostException((redirect ? "redirect refused: " : "") + "cannot resolve host '"
                    + Shown.of(target.host) + "'");
        } catch (SecurityException e) {
            throw new HostException("resolving host '" + Shown.of(target.host) + "' is not permitted");
        }
        if (policy.allowPrivateAddresses()) {
            return List.of(all);
        }
        List<InetAddress> good = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (InetAddress a : all) {
            String why = AddressRules.refusal(a);
            if (why == null) {
                good.add(a);
            } else {
                refused.add(a.getHostAddress() + " is " + why);
            }
        }
        if (good.isEmpty()) {
            throw new HostException((redirect ? "redirect refused: " : "") + "security denied network access: host '"
                    + Shown.of(target.host) + "' resolves only to refused addresses (" + String.join("; ", refused)
                    + "); private, loopback and link-local addresses need the host setting "
                    + HttpPolicy.ALLOW_PRIVATE_ADDRESSES + "=true");
        }
        return good;
    }

    // ---- the exchange ------------------------------------------------------------------------------

    private <T> HttpResponse<T> exchange(Target target, List<InetAddress> addresses, String method,
            Map<String, String> headers, byte[] body, long deadline, BodyFactory<T> bodies) {
        HttpClient client = client(target);
        String lastFailure = null;
        for (InetAddress address : addresses) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            HttpRequest.Builder b;
            try {
                b = HttpRequest.newBuilder(target.direct(address)).timeout(Duration.ofNanos(left))
                        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body))
                        .header("Host", target.hostHeader());
                headers.forEach(b::header);
            } catch (IllegalArgumentException e) {
                throw new HostException("cannot build a request to '" + Shown.of(target.host) + "'");
            }
            AtomicReference<CancellableBody<T>> reading = new AtomicReference<>();
            boolean bodiless = method.equals("HEAD");
            CompletableFuture<HttpResponse<T>> f = client.sendAsync(b.build(), info -> {
                CancellableBody<T> s = bodies.create(info, bodiless);
                reading.set(s);
                return s;
            });
            try {
                return f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                abort(f, reading.get());
                break;
            } catch (InterruptedException e) {
                abort(f, reading.get());
                Thread.currentThread().interrupt();
                throw new HostException("interrupted while waiting for '" + Shown.of(target.host) + "'");
            } catch (CancellationException e) {
                throw new HostException("the request to '" + Shown.of(target.host) + "' was cancelled");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (find(cause, HttpConnectTimeoutException.class) != null) {
                    lastFailure = "connecting to " + target.where(address) + " timed out after "
                            + policy.connectTimeout().toMillis() + " ms";
                    continue;
                }
                if (find(cause, ConnectException.class) != null) {
                    lastFailure = "connection to " + target.where(address) + " refused";
                    continue;
                }
                throw new HostException(reason(cause, "'" + Shown.of(target.host) + "'"));
            }
        }
        if (lastFailure != null && deadline - System.nanoTime() > 0) {
            throw new HostException(lastFailure);
        }
        throw new HostException("no complete response from '" + Shown.of(target.host) + "' within the time limit");
    }

    private static void abort(CompletableFuture<?> f, CancellableBody<?> body) {
        f.cancel(true);
        if (body != null) {
            body.cancel();
        }
    }

    /** The first throwable of a type in a cause chain, or null. */
    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /** Words for a transport failure: never a JDK message. */
    private static String reason(Throwable cause, String host) {
        BoundedBody.TooLarge large = find(cause, BoundedBody.TooLarge.class);
        if (large != null) {
            return large.getMessage();
        }
        if (find(cause, HttpTimeoutException.class) != null) {
            return "no complete response from " + host + " within the time limit";
        }
        if (find(cause, SSLException.class) != null) {
            return find(cause, CertificateException.class) != null
                    ? "the TLS certificate of " + host + " is not trusted or not valid for that name"
                    : "the TLS handshake with " + host + " failed";
        }
        if (find(cause, EOFException.class) != null) {
            return "the server " + host + " closed the connection before a complete response";
        }
        if (cause instanceof IOException) {
            String m = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("too many") || m.contains("header")) {
                return "the response of " + host + " is not valid HTTP/1.1 or its headers are too large";
            }
            return "the connection to " + host + " failed or was closed";
        }
        return "the request to " + host + " failed";
    }

    private static SortedHeaders responseHeaders(HttpHeaders headers) {
        SortedHeaders out = new SortedHeaders();
        headers.map().forEach((name, values) -> {
            if (values.isEmpty()) {
                return;
            }
            String v = values.get(values.size() - 1);
            // Upstream keeps only values that are visible ASCII (with space and tab).
            if (v.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c < 0x7f))) {
                out.put(name.toLowerCase(Locale.ROOT), v);
            }
        });
        return out;
    }

    /** Response headers by lower-case name. */
    private static final class SortedHeaders extends TreeMap<String, String> {
        private static final long serialVersionUID = 1L;
    }

    private HttpClient client(Target target) {
        // SNI is per client, so each TLS host name has its own; plain HTTP shares one.
        String key = target.https ? target.host : "";
        synchronized (clients) {
            HttpClient c = clients.get(key);
            if (c == null) {
                HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .followRedirects(HttpClient.Redirect.NEVER).proxy(HttpClient.Builder.NO_PROXY)
                        .connectTimeout(policy.connectTimeout());
                policy.sslContext().ifPresent(b::sslContext);
                if (target.https && !target.literal) {
                    SSLParameters p = new SSLParameters();
                    p.setServerNames(List.of(sniName(target.host)));
                    b.sslParameters(p);
                }
                c = b.build();
                clients.put(key, c);
            }
            return c;
        }
    }

    /** The SNI name of a host: without a trailing dot, which SNI does not allow. */
    private static SNIHostName sniName(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        try {
            return new SNIHostName(h);
        } catch (IllegalArgumentException e) {
            throw new HostException("host '" + Shown.of(host) + "' is not a valid TLS server name");
        }
    }

    // ---- URLs --------------------------------------------------------------------------------------

    /** A parsed URL: where to connect and what to ask for. */
    private static final class Target {
        final URI uri;
        final boolean https;
        final String host;
        final boolean literal;
        final int port;
        final boolean defaultPort;

        private Target(URI uri) {
            this.uri = uri;
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new HostException("unsupported url scheme '" + Shown.of(scheme) + "' (http or https only)");
            }
            this.https = scheme.equals("https");
            String h = uri.getHost();
            if (h == null || h.isEmpty()) {
                throw new HostException("the url has no host: " + Shown.of(uri.toString()));
            }
            if (uri.getRawUserInfo() != null) {
                throw new HostException("credentials in the url are not supported; send an Authorization header");
            }
            this.literal = h.startsWith("[") || h.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
            this.host = (h.startsWith("[") ? h.substring(1, h.length() - 1) : h).toLowerCase(Locale.ROOT);
            this.defaultPort = uri.getPort() == -1 || uri.getPort() == (https ? 443 : 80);
            this.port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
        }

        static Target parse(String url) {
            URI u;
            try {
                u = new URI(url);
            } catch (URISyntaxException e) {
                throw new HostException("invalid url '" + Shown.of(url) + "': " + e.getReason()
                        + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
            }
            if (!u.isAbsolute() || u.isOpaque()) {
                throw new HostException("the url must be absolute, with a host: " + Shown.of(url));
            }
            return new Target(u);
        }

        Target resolve(String location) {
            URI next;
            try {
                next = uri.resolve(new URI(location));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new HostException("redirect refused: invalid Location '" + Shown.of(location) + "'");
            }
            try {
                return new Target(next);
            } catch (HostException e) {
                throw new HostException("redirect refused: " + e.getMessage());
            }
        }

        String hostHeader() {
            String h = host.contains(":") ? "[" + host + "]" : host;
            return defaultPort ? h : h + ":" + port;
        }

        String where(InetAddress a) {
            return "'" + Shown.of(host) + "' (" + a.getHostAddress() + " port " + port + ")";
        }

        /** The URL with the checked address in place of the name. */
        URI direct(InetAddress a) {
            String ip = a.getHostAddress();
            if (a instanceof Inet6Address) {
                ip = "[" + ip.replace("%", "%25") + "]";
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            return URI.create((https ? "https" : "http") + "://" + ip + ":" + port + path + query);
        }
    }
}
