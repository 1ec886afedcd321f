package dev.astrid.reference.families;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.host.tck.LoopbackHttpServer;
import dev.astrid.reference.AbiDriver;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.Guests;
import dev.astrid.reference.TestHosts;
import dev.astrid.sys.abi.AbiFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code astrid_http_request} through the real kernel and the {@code abi-driver} guest, against a
 * real HTTP server on loopback: the round trip, and the refusals a capsule meets (a loopback address
 * without the host setting, a redirect off the net list, a body over 10 MiB, a line break in a header).
 */
class HttpEndToEndTest {
    @TempDir
    Path dir;

    private LoopbackHttpServer server;

    @BeforeEach
    void startServer() {
        byte[] big = new byte[PayloadLimits.MAX_GUEST_PAYLOAD + 1];
        Arrays.fill(big, (byte) 'z');
        server = LoopbackHttpServer.http()
                .route("/hello", r -> LoopbackHttpServer.Reply.of(200, "hello " + r.method() + " " + r.text())
                        .header("X-Served-By", "loopback"))
                .route("/away", r -> LoopbackHttpServer.Reply.redirect(302, "http://evil.example/"))
                .route("/big", r -> new LoopbackHttpServer.Reply(200, List.of(), big, true));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private AbiDriver driver(AstridHost host, String... net) throws IOException {
        CapsuleManifest m = CapsuleManifest.bare("web").withCapabilities(Capabilities.builder().net(net).build());
        return new AbiDriver(host.load(m, Guests.bytes("abi-driver"), Optional.of(Files.createDirectories(dir.resolve("c-web")))));
    }

    private static GuestCallException trap(AbiDriver d, String request) {
        return catchThrowableOfType(GuestCallException.class, () -> d.text(AbiFunction.HTTP_REQUEST, request));
    }

    private String get(String path) {
        return "{\"url\":\"" + server.url("localhost", path) + "\"}";
    }

    @Test
    void aRequestRoundTripsThroughTheGuest() throws IOException {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).setting("http.allow-private-addresses", "true").build())) {
            AbiDriver d = driver(host, "localhost");
            String out = d.text(AbiFunction.HTTP_REQUEST, "{\"url\":\"" + server.url("localhost", "/hello")
                    + "\",\"method\":\"post\",\"headers\":{\"Content-Type\":\"text/plain\"},\"body\":\"from wasm\"}");
            JsonObject res = JsonParser.parseString(out).getAsJsonObject();
            assertThat(res.get("status").getAsInt()).isEqualTo(200);
            assertThat(res.get("body").getAsString()).isEqualTo("hello POST from wasm");
            assertThat(res.getAsJsonObject("headers").get("x-served-by").getAsString()).isEqualTo("loopback");
            assertThat(server.seen()).singleElement().satisfies(s -> {
                assertThat(s.headers()).containsEntry("content-type", "text/plain").containsEntry("host", "localhost:" + server.port());
            });

            assertThat(trap(d, "{\"url\":\"" + server.url("localhost", "/hello") + "\",\"headers\":{\"X-A\":\"1\\r\\nX-B: 2\"}}"))
                    .hasMessage("astrid_http_request: invalid value of header 'X-A': it holds a line break");
            assertThat(trap(d, get("/away"))).hasMessage("astrid_http_request: redirect refused: security denied network access: "
                    + "host 'evil.example' is not in the capsule's net list [localhost] (an entry allows itself and its subdomains)");
            assertThat(trap(d, get("/big")))
                    .hasMessage("astrid_http_request: response body exceeds the limit of " + PayloadLimits.MAX_GUEST_PAYLOAD + " bytes");
            assertThat(server.seen()).hasSize(3);
        }
    }

    @Test
    void loopbackIsRefusedWithoutTheHostSettingThoughTheNetListMatches() throws IOException {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver d = driver(host, "localhost");
            GuestCallException e = trap(d, get("/hello"));
            assertThat(e.kind()).isEqualTo(GuestCallException.Kind.HOST_ERROR);
            assertThat(e).hasMessageStartingWith("astrid_http_request: security denied network access: host 'localhost' "
                    + "resolves only to refused addresses (").hasMessageContaining("is loopback");
            assertThat(trap(d, "{\"url\":\"http://example.com/\"}")).hasMessageStartingWith(
                    "astrid_http_request: security denied network access: host 'example.com' is not in the capsule's net list");
        }
        assertThat(server.seen()).isEmpty();
    }
}
