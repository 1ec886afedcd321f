package dev.astrid.host.tck;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP (or HTTPS) server on the loopback interface, from the JDK's
 * {@code com.sun.net.httpserver}, for testing HTTP providers: each path answers with a
 * {@link Responder}, and every request it saw is kept.
 *
 * <p>Close it after the test.
 */
public final class LoopbackHttpServer implements AutoCloseable {

    /**
     * A request as the server saw it.
     *
     * @param method the method
     * @param target the path and query
     * @param headers the header names in lower case, each with its values joined by {@code ", "}
     * @param body the body
     */
    public record Seen(String method, String target, Map<String, String> headers, byte[] body) {
        /** The body as UTF-8 text. */
        public String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /**
     * Writes a body piece by piece, for a {@link Reply#streamed} answer: flush after each piece to
     * send it as one chunk.
     */
    @FunctionalInterface
    public interface BodyWriter {
        /**
         * Writes the body and returns when it is complete.
         *
         * @throws IOException when the client hung up (the writer may catch it to notice that)
         * @throws InterruptedException when the server closes while the writer waits
         */
        void write(OutputStream out) throws IOException, InterruptedException;
    }

    /**
     * An answer.
     *
     * @param status the status code
     * @param headers header name and value pairs, in order (a name may repeat)
     * @param body the body
     * @param chunked whether the body is sent chunked, without a {@code Content-Length}
     * @param writer when not null, writes the body (chunked) instead of {@code body}
     */
    public record Reply(int status, List<String[]> headers, byte[] body, boolean chunked, BodyWriter writer) {
        /** An answer with a fixed body. */
        public Reply(int status, List<String[]> headers, byte[] body, boolean chunked) {
            this(status, headers, body, chunked, null);
        }

        /** An answer whose body a writer sends chunked, piece by piece, as it likes. */
        public static Reply streamed(int status, BodyWriter writer) {
            return new Reply(status, List.of(), new byte[0], true, java.util.Objects.requireNonNull(writer));
        }

        /** A reply with a UTF-8 body and a {@code Content-Length}. */
        public static Reply of(int status, String body) {
            return new Reply(status, List.of(), body.getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
        }

        /** A redirect to a location. */
        public static Reply redirect(int status, String location) {
            return new Reply(status, List.<String[]>of(new String[] {"Location", location}), new byte[0], false);
        }

        /** This reply with one more header. */
        public Reply header(String name, String value) {
            List<String[]> h = new ArrayList<>(headers);
            h.add(new String[] {name, value});
            return new Reply(status, h, body, chunked, writer);
        }

        /** This reply sent chunked. */
        public Reply sentChunked() {
            return new Reply(status, headers, body, true, writer);
        }
    }

    /** How a path answers. */
    @FunctionalInterface
    public interface Responder {
        /**
         * The answer to a request.
         *
         * @throws InterruptedException when a responder that waits is stopped
         */
        Reply answer(Seen request) throws InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "loopback-http");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Responder> routes = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final boolean https;

    private LoopbackHttpServer(HttpServer server, boolean https) {
        this.server = server;
        this.https = https;
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A plain HTTP server on 127.0.0.1 and a free port. */
    public static LoopbackHttpServer http() {
        try {
            return new LoopbackHttpServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HTTPS server on 127.0.0.1 and a free port, presenting the certificate of {@code tls}. */
    public static LoopbackHttpServer https(SSLContext tls) {
        try {
            HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            s.setHttpsConfigurator(new HttpsConfigurator(tls));
            return new LoopbackHttpServer(s, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes a path (exact, without the query) answer with a responder; returns this server. */
    public LoopbackHttpServer route(String path, Responder r) {
        routes.put(path, r);
        return this;
    }

    /** The port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** A URL of this server under a host name, e.g. {@code url("localhost", "/x")}. */
    public String url(String host, String pathAndQuery) {
        return (https ? "https" : "http") + "://" + host + ":" + port() + pathAndQuery;
    }

    /** The requests seen so far, in order. */
    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            byte[] body;
            try (InputStream in = x.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new TreeMap<>();
            x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(", ", v)));
            Seen s = new Seen(x.getRequestMethod(), x.getRequestURI().toString(), headers, body);
            seen.add(s);
            Responder r = routes.get(x.getRequestURI().getPath());
            Reply reply;
            try {
                reply = r == null ? Reply.of(404, "no route " + x.getRequestURI().getPath()) : r.answer(s);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (String[] h : reply.headers()) {
                x.getResponseHeaders().add(h[0], h[1]);
            }
            boolean noBody = x.getRequestMethod().equals("HEAD") || reply.status() == 204 || reply.status() == 304;
            if (reply.writer() != null && !noBody) {
                x.sendResponseHeaders(reply.status(), 0);
                try (OutputStream out = x.getResponseBody()) {
                    reply.writer().write(out);
                } catch (IOException e) {
                    // The client hung up.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            long length = noBody ? -1 : reply.chunked() ? 0 : reply.body().length == 0 ? -1 : reply.body().length;
            x.sendResponseHeaders(reply.status(), length);
            if (!noBody && reply.body().length > 0) {
                try (OutputStream out = x.getResponseBody()) {
                    out.write(reply.body());
                } catch (IOException e) {
                    // The client hung up (on purpose, when a body is over its limit).
                }
            }
        }
    }

    /** Stops the server at once and ends every responder still waiting. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
