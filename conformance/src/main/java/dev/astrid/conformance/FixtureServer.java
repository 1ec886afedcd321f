package dev.astrid.conformance;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP server the http cases call, on loopback: {@code /hello} (200, {@code hello}),
 * {@code /echo} (200, {@code <METHOD> <body>}, header {@code x-seen-header} echoing the request's
 * {@code x-test}), {@code /status/404}, {@code /redirect} (302 to {@code /hello}), {@code /big}
 * (10 MiB + 1 byte) and {@code /chunks} (200, {@code one}, {@code two}, {@code three} sent chunked,
 * one chunk each).
 */
final class FixtureServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "conformance-http");
        t.setDaemon(true);
        return t;
    });

    FixtureServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hello", ex -> reply(ex, 200, "hello"));
        server.createContext("/echo", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String seen = ex.getRequestHeaders().getFirst("x-test");
            if (seen != null) {
                ex.getResponseHeaders().add("x-seen-header", seen);
            }
            reply(ex, 200, ex.getRequestMethod() + " " + body);
        });
        server.createContext("/status/404", ex -> reply(ex, 404, "not here"));
        server.createContext("/redirect", ex -> {
            ex.getResponseHeaders().add("Location", "/hello");
            reply(ex, 302, "");
        });
        server.createContext("/big", ex -> {
            ex.sendResponseHeaders(200, 10L * 1024 * 1024 + 1);
            try (OutputStream out = ex.getResponseBody()) {
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) 'x');
                long left = 10L * 1024 * 1024 + 1;
                while (left > 0) {
                    int n = (int) Math.min(chunk.length, left);
                    out.write(chunk, 0, n);
                    left -= n;
                }
            } catch (IOException e) {
                // the client gave up reading, as it should past its cap
            }
        });
        server.createContext("/chunks", ex -> {
            ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (String piece : new String[] {"one", "two", "three"}) {
                    out.write(piece.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        });
        server.setExecutor(threads);
        server.start();
    }

    /** {@code http://127.0.0.1:<port>}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
