package dev.astrid.reference.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.tck.LoopbackHttpServer;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.TestHosts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Extism http_request import against a real HTTP server on loopback, which the host setting
 * {@code http.allow-private-addresses=true} allows; without it, loopback is refused after resolution.
 */
class ExtismHttpTest {
    @TempDir
    Path dir;

    /** Answers one request with a 201 and a fixed body; returns the request line it saw. */
    private static CompletableFuture<String> serveOnce(ServerSocket server) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                String requestLine = in.readLine();
                String line;
                StringBuilder headers = new StringBuilder();
                while ((line = in.readLine()) != null && !line.isEmpty()) {
                    headers.append(line.toLowerCase()).append('\n');
                }
                byte[] body = "created!".getBytes(StandardCharsets.US_ASCII);
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 201 Created\r\nContent-Length: " + body.length + "\r\nX-Probe: yes\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                return requestLine + "|" + (headers.toString().contains("x-test: 1") ? "header" : "no-header");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void allowedHostsGetAnAnswerAndOthersTrap() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> seen = serveOnce(server);
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/things?x=1";
            String req = "{\"url\":\"" + url + "\",\"method\":\"post\",\"headers\":{\"X-Test\":\"1\"}}";
            try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).allowHost("127.0.0.*")
                    .setting("http.allow-private-addresses", "true").build())) {
                LoadedCapsule c = TestHosts.loadBare(h, "kernel-probe");
                byte[] out = c.call("http", req.getBytes(StandardCharsets.UTF_8), Invocation.Caller.NONE, Duration.ofSeconds(20));
                assertThat((out[0] & 0xff) | (out[1] & 0xff) << 8).isEqualTo(201);
                assertThat(new String(out, 2, out.length - 2, StandardCharsets.US_ASCII)).isEqualTo("created!");
            }
            assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("POST /things?x=1 HTTP/1.1|header");
        }
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).build())) {
            LoadedCapsule c = TestHosts.loadBare(h, "kernel-probe");
            GuestCallException none = catchThrowableOfType(GuestCallException.class, () -> c.call("http",
                    "{\"url\":\"http://example.com/\"}".getBytes(), Invocation.Caller.NONE, Duration.ofSeconds(10)));
            assertThat(none).hasMessageContaining("http_request: HTTP is not allowed for this plugin");
        }
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).allowHost("*.example.com").build())) {
            LoadedCapsule c = TestHosts.loadBare(h, "kernel-probe");
            GuestCallException denied = catchThrowableOfType(GuestCallException.class, () -> c.call("http",
                    "{\"url\":\"http://127.0.0.1:9/\"}".getBytes(), Invocation.Caller.NONE, Duration.ofSeconds(10)));
            assertThat(denied).hasMessageContaining("host '127.0.0.1' is not allowed (allowed: *.example.com)");
            GuestCallException bad = catchThrowableOfType(GuestCallException.class, () -> c.call("http",
                    "{\"nourl\":1}".getBytes(), Invocation.Caller.NONE, Duration.ofSeconds(10)));
            assertThat(bad).hasMessageContaining("http_request: the request has no \"url\" string");
        }
    }

    @Test
    void malformedRequestsTrapWithOneClearReason() {
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).allowHost("127.0.0.*")
                    .setting("http.allow-private-addresses", "true").build())) {
            LoadedCapsule c = TestHosts.loadBare(h, "kernel-probe");
            String[][] cases = {
                {"{\"url\":\"http://127.0.0.1:9/\",\"method\":{}}", "http_request: \"method\" must be a string"},
                {"{\"url\":\"http://127.0.0.1:9/\",\"headers\":{\"X-A\":[1]}}", "http_request: header 'X-A' must be a string"},
                {"{\"url\":", "http_request: the request is not valid JSON"},
                {"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                        .repeat(4), "http_request: the request is not valid JSON"},
            };
            for (String[] k : cases) {
                GuestCallException e = catchThrowableOfType(GuestCallException.class, () -> c.call("http",
                        k[0].getBytes(StandardCharsets.UTF_8), Invocation.Caller.NONE, Duration.ofSeconds(10)));
                assertThat(e).as(k[0]).hasMessage(k[1]);
                assertThat(e.kind()).isEqualTo(GuestCallException.Kind.HOST_ERROR);
            }
        }
    }

    @Test
    void aNameResolvingToLoopbackIsRefusedUnlessPrivateAddressesAreAllowed() {
        try (LoopbackHttpServer server = LoopbackHttpServer.http()
                .route("/probe", r -> LoopbackHttpServer.Reply.of(200, "reached"))) {
            String req = "{\"url\":\"" + server.url("localhost", "/probe") + "\"}";
            try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).allowHost("localhost").build())) {
                LoadedCapsule c = TestHosts.loadBare(h, "kernel-probe");
                GuestCallException e = catchThrowableOfType(GuestCallException.class, () -> c.call("http",
                        req.getBytes(StandardCharsets.UTF_8), Invocation.Caller.NONE, Duration.ofSeconds(20)));
                assertThat(e).hasMessageStartingWith("http_request: security denied network access: host 'localhost' "
                        + "resolves only to refused addresses (").hasMessageContaining("is loopback");
                assertThat(e.kind()).isEqualTo(GuestCallException.Kind.HOST_ERROR);
            }
            assertThat(server.seen()).isEmpty();
            try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).allowHost("localhost")
                    .setting("http.allow-private-addresses", "true").build())) {
                LoadedCapsule c = TestHosts.loadBare(h, "kernel-probe");
                byte[] out = c.call("http", req.getBytes(StandardCharsets.UTF_8), Invocation.Caller.NONE, Duration.ofSeconds(20));
                assertThat((out[0] & 0xff) | (out[1] & 0xff) << 8).isEqualTo(200);
                assertThat(new String(out, 2, out.length - 2, StandardCharsets.US_ASCII)).isEqualTo("reached");
            }
            assertThat(server.seen()).singleElement().satisfies(s -> assertThat(s.headers().get("host"))
                    .isEqualTo("localhost:" + server.port()));
        }
    }
}
