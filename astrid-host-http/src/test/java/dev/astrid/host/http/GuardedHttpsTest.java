package dev.astrid.host.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.http.GuardedHttpClient;
import dev.astrid.host.spi.http.GuardedRequest;
import dev.astrid.host.spi.http.GuardedResponse;
import dev.astrid.host.spi.http.HostRule;
import dev.astrid.host.spi.http.HttpPolicy;
import dev.astrid.host.tck.LoopbackHttpServer;
import dev.astrid.host.tck.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS through the shared guarded client: it connects to the checked IP address, yet the server's
 * certificate is verified against the host name of the URL (sent as SNI), so a certificate that
 * names only {@code localhost} is accepted for {@code https://localhost:<port>/} and one for another
 * name is refused. The certificates are self-signed, made by keytool; the client trusts only them.
 */
class GuardedHttpsTest {
    @TempDir
    Path dir;

    private static GuardedHttpClient client(TestCertificates.Tls tls) {
        HttpPolicy p = HttpPolicy.of(HostRule.netCapability(List.of("localhost")),
                ProviderSettings.of(Map.of(HttpPolicy.ALLOW_PRIVATE_ADDRESSES, "true"))).withSslContext(tls.client());
        return new GuardedHttpClient(p);
    }

    @Test
    void aCertificateForTheUrlsHostNameIsAcceptedAlthoughTheConnectionGoesToTheAddress() {
        TestCertificates.Tls tls = TestCertificates.selfSigned(dir, "localhost");
        try (LoopbackHttpServer srv = LoopbackHttpServer.https(tls.server())
                .route("/secure", r -> LoopbackHttpServer.Reply.of(200, "over tls to " + r.headers().get("host")))) {
            GuardedResponse res = client(tls).send(new GuardedRequest(srv.url("localhost", "/secure"), "GET", Map.of(),
                    new byte[0]), Optional.empty());
            assertThat(res.status()).isEqualTo(200);
            assertThat(new String(res.body(), StandardCharsets.UTF_8)).isEqualTo("over tls to localhost:" + srv.port());
        }
    }

    @Test
    void aCertificateForAnotherNameIsRefused() {
        TestCertificates.Tls tls = TestCertificates.selfSigned(dir, "other.example");
        try (LoopbackHttpServer srv = LoopbackHttpServer.https(tls.server())
                .route("/secure", r -> LoopbackHttpServer.Reply.of(200, "must not arrive"))) {
            Throwable t = catchThrowable(() -> client(tls).send(new GuardedRequest(srv.url("localhost", "/secure"), "GET",
                    Map.of(), new byte[0]), Optional.empty()));
            assertThat(t).isInstanceOf(HostException.class)
                    .hasMessage("the TLS certificate of 'localhost' is not trusted or not valid for that name");
            assertThat(srv.seen()).isEmpty();
        }
    }
}
