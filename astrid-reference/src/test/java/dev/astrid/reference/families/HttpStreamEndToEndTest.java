package dev.astrid.reference.families;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.host.tck.LoopbackHttpServer;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.Guests;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.TestHosts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming-HTTP imports of SDK 0.2.2 ({@code astrid_http_stream_start/read/close}) through the
 * real kernel and the {@code http-stream} guest, a bare module that imports only them, against a
 * real loopback server sending chunked bodies: a stream read until empty and closed, the limit of 4,
 * handles unknown or malformed, the net list and address refusals, a stream ended by unload, a read
 * cut short by the call's deadline, and an import with the wrong type.
 */
class HttpStreamEndToEndTest {
    private static final Duration CALL = Duration.ofSeconds(30);
    private static final long PATIENCE_S = 60;

    @TempDir
    Path dir;

    private LoopbackHttpServer server;
    private final CountDownLatch more = new CountDownLatch(1);
    private final CountDownLatch hungUp = new CountDownLatch(1);

    @BeforeEach
    void startServer() {
        server = LoopbackHttpServer.http()
                .route("/s", r -> LoopbackHttpServer.Reply.streamed(200, out -> {
                    out.write(b("first"));
                    out.flush();
                    more.await();
                    out.write(b("second "));
                    out.flush();
                    out.write(b("third"));
                    out.flush();
                }).header("X-Served-By", "loopback"))
                .route("/x", r -> LoopbackHttpServer.Reply.of(200, "x"))
                .route("/hose", r -> LoopbackHttpServer.Reply.streamed(200, out -> {
                    try {
                        byte[] piece = new byte[8192];
                        while (true) {
                            out.write(piece);
                            out.flush();
                        }
                    } catch (IOException e) {
                        hungUp.countDown();
                    }
                }));
    }

    @AfterEach
    void stopServer() {
        more.countDown();
        server.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static AstridHost host(Path dir, String... settings) {
        var config = TestHosts.config(dir, false);
        for (int i = 0; i < settings.length; i += 2) {
            config.setting(settings[i], settings[i + 1]);
        }
        return AstridHost.start(config.build());
    }

    /** The guest as a bare module (no capsule directory) with a net list. */
    private static LoadedCapsule guest(AstridHost host, String... net) {
        CapsuleManifest m = CapsuleManifest.bare("streamer").withCapabilities(Capabilities.builder().net(net).build());
        return host.load(m, Guests.bytes("http-stream"), Optional.empty());
    }

    private String url(String path) {
        return "{\"url\":\"" + server.url("localhost", path) + "\"}";
    }

    private static String text(LoadedCapsule c, String export, String input) {
        return new String(c.call(export, b(input), Invocation.Caller.NONE, CALL), StandardCharsets.UTF_8);
    }

    private static GuestCallException trap(LoadedCapsule c, String export, String input) {
        return catchThrowableOfType(GuestCallException.class, () -> c.call(export, b(input), Invocation.Caller.NONE, CALL));
    }

    private static String readAll(LoadedCapsule c, String handle) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] piece = c.call("read", b(handle), Invocation.Caller.NONE, CALL); piece.length > 0;
                piece = c.call("read", b(handle), Invocation.Caller.NONE, CALL)) {
            all.writeBytes(piece);
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aStreamIsStartedReadUntilEmptyAndClosed() {
        try (AstridHost host = host(dir, "http.allow-private-addresses", "true")) {
            LoadedCapsule c = guest(host, "localhost");
            JsonObject started = JsonParser.parseString(text(c, "start", url("/s"))).getAsJsonObject();
            assertThat(started.get("handle").getAsString()).isEqualTo("1");
            assertThat(started.get("status").getAsInt()).isEqualTo(200);
            assertThat(started.getAsJsonObject("headers").get("x-served-by").getAsString()).isEqualTo("loopback");
            assertThat(text(c, "read", "1")).isEqualTo("first");
            more.countDown();
            assertThat(readAll(c, "1")).isEqualTo("second third");
            assertThat(text(c, "read", "1")).isEmpty();
            text(c, "close", "1");
            text(c, "close", "1");
            assertThat(trap(c, "read", "1")).hasMessage("astrid_http_stream_read: unknown HTTP stream handle 1");
        }
    }

    @Test
    void fourStreamsAtMostAndHandlesAreCheckedDecimalText() {
        try (AstridHost host = host(dir, "http.allow-private-addresses", "true")) {
            LoadedCapsule c = guest(host, "localhost");
            for (int i = 1; i <= 4; i++) {
                assertThat(JsonParser.parseString(text(c, "start", url("/x"))).getAsJsonObject().get("handle").getAsString())
                        .isEqualTo(String.valueOf(i));
            }
            assertThat(trap(c, "start", url("/x"))).hasMessage("astrid_http_stream_start: too many open HTTP streams "
                    + "(at most 4 per capsule); close one with astrid_http_stream_close");
            assertThat(trap(c, "read", "9")).hasMessage("astrid_http_stream_read: unknown HTTP stream handle 9");
            assertThat(trap(c, "close", "abc"))
                    .hasMessage("astrid_http_stream_close: invalid stream handle: expected a decimal number (ASCII digits only)");
            assertThat(trap(c, "close", "")).hasMessage("astrid_http_stream_close: invalid stream handle: it is empty, expected a decimal number");
            assertThat(trap(c, "read", "1".repeat(1025))).hasMessage("astrid_http_stream_read: memory allocation of 1025 bytes "
                    + "exceeds maximum allowed limit of 1024 bytes");
            text(c, "close", "77");
            text(c, "close", "3");
            assertThat(JsonParser.parseString(text(c, "start", url("/x"))).getAsJsonObject().get("handle").getAsString())
                    .isEqualTo("5");
            assertThat(readAll(c, "5")).isEqualTo("x");
            assertThat(server.seen()).hasSize(5);
        }
    }

    @Test
    void theNetListAndTheAddressRulesRefuseAStart() {
        try (AstridHost host = host(dir)) {
            LoadedCapsule c = guest(host, "localhost");
            assertThat(trap(c, "start", url("/x"))).hasMessageStartingWith("astrid_http_stream_start: security denied network "
                    + "access: host 'localhost' resolves only to refused addresses (").hasMessageContaining("is loopback");
            assertThat(trap(c, "start", "{\"url\":\"http://example.com/\"}")).hasMessage("astrid_http_stream_start: security "
                    + "denied network access: host 'example.com' is not in the capsule's net list [localhost] (an entry allows "
                    + "itself and its subdomains)");
        }
        assertThat(server.seen()).isEmpty();
    }

    @Test
    void unloadEndsEveryStream() throws Exception {
        try (AstridHost host = host(dir, "http.allow-private-addresses", "true")) {
            LoadedCapsule c = guest(host, "localhost");
            String h = JsonParser.parseString(text(c, "start", url("/hose"))).getAsJsonObject().get("handle").getAsString();
            assertThat(c.call("read", b(h), Invocation.Caller.NONE, CALL)).isNotEmpty();
            c.unload();
            assertThat(hungUp.await(PATIENCE_S, TimeUnit.SECONDS)).as("the server saw the connection close").isTrue();
        }
    }

    @Test
    void aReadWaitsNoLongerThanTheCall() {
        try (AstridHost host = host(dir, "http.allow-private-addresses", "true", "http.stream-read-timeout-ms", "3600000")) {
            LoadedCapsule c = guest(host, "localhost");
            assertThat(JsonParser.parseString(text(c, "start", url("/s"))).getAsJsonObject().get("handle").getAsString())
                    .isEqualTo("1");
            assertThat(text(c, "read", "1")).isEqualTo("first");
            // The server sends nothing more until released: the read ends with the call's 1 s, not the hour.
            GuestCallException e = catchThrowableOfType(GuestCallException.class,
                    () -> c.call("read", b("1"), Invocation.Caller.NONE, Duration.ofSeconds(1)));
            assertThat(e).isNotNull();
            if (e.kind() == GuestCallException.Kind.HOST_ERROR) {
                assertThat(e).hasMessageMatching("astrid_http_stream_read: (no data from 'localhost' within [0-9]+ ms"
                        + "|the call has no time left to wait for data)");
            } else {
                assertThat(e.kind()).isEqualTo(GuestCallException.Kind.TIMEOUT);
            }
            // The stream outlives the failed call.
            more.countDown();
            assertThat(readAll(c, "1")).isEqualTo("second third");
        }
    }

    @Test
    void anExtensionImportWithTheWrongTypeIsRefused() {
        try (AstridHost h = host(dir)) {
            assertThatThrownBy(() -> TestHosts.loadBare(h, "wrong-stream-signature"))
                    .hasMessageContaining("wrong-stream-signature cannot be linked")
                    .hasMessageContaining("astrid_http_stream_close is imported as")
                    .hasMessageContaining("but the ABI declares (i64) -> ()");
        }
    }
}
