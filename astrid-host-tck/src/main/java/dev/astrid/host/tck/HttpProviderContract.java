package dev.astrid.host.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.sys.abi.ExtensionFunction;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.HttpFunctions;
import dev.astrid.sys.abi.HttpStreamFunctions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The observable contract of the HTTP family (as this host builds it, see
 * {@code docs/families/http.md}): {@code {"url","method","headers","body"}} in,
 * {@code {"status","headers","body"}} out; only hosts the capsule's {@code net} list allows, and
 * loopback, private and link-local addresses only when the host setting
 * {@code http.allow-private-addresses=true} allows them, judged after the name is resolved;
 * validated methods and headers; bodies of at most 10 MiB; at most 5 redirects, each checked again;
 * timeouts under the call's deadline. For a provider whose {@code extensions()} names them, the
 * streaming imports {@code astrid_http_stream_start/read/close} under the same checks.
 *
 * <p>Extend it and implement {@link #createProvider()}. Every test talks to a real
 * {@link LoopbackHttpServer} on 127.0.0.1, named {@code localhost} in URLs. Waits on a second
 * thread use generous deadlines that only guard against hangs.
 */
public abstract class HttpProviderContract extends ProviderContract<HttpFunctions> {

    /** How long a test waits for something that should happen at once (a hang guard only). */
    protected static final Duration PATIENCE = Duration.ofSeconds(60);
    /** The setting that allows loopback addresses, which these tests need. */
    protected static final String ALLOW_PRIVATE = "http.allow-private-addresses";

    private final List<AutoCloseable> servers = new ArrayList<>();

    @Override
    protected final Family family() {
        return Family.HTTP;
    }

    @AfterEach
    void closeServersAndProvider() throws Exception {
        for (AutoCloseable s : servers) {
            s.close();
        }
        provider.close();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** A plain HTTP server on loopback, closed after the test. */
    protected LoopbackHttpServer server() {
        LoopbackHttpServer s = LoopbackHttpServer.http();
        servers.add(s);
        return s;
    }

    /** A capsule with a {@code net} list and more settings, bound. */
    protected HttpFunctions http(List<String> net, Map<String, String> settings) {
        return bind(host.capsule("web").capabilities(Capabilities.builder().net(net.toArray(String[]::new)).build())
                .settings(ProviderSettings.of(settings)).build());
    }

    /** A capsule that may reach {@code localhost} (loopback allowed), bound. */
    protected HttpFunctions localhost() {
        return http(List.of("localhost"), Map.of(ALLOW_PRIVATE, "true"));
    }

    /** A request object from field name and value pairs (a value may be a String, a Map or null). */
    protected static String request(Object... kv) {
        JsonObject o = new JsonObject();
        for (int i = 0; i < kv.length; i += 2) {
            o.add((String) kv[i], new com.google.gson.Gson().toJsonTree(kv[i + 1]));
        }
        return o.toString();
    }

    /** Sends a request; returns the response object. */
    private static JsonObject send(HttpFunctions http, String requestJson) {
        byte[] out = http.httpRequest(b(requestJson));
        return JsonParser.parseString(s(out)).getAsJsonObject();
    }

    private static String body(JsonObject response) {
        return response.get("body").getAsString();
    }

    // ---- round trip ------------------------------------------------------------------------------

    /** Status, headers and body travel both ways. */
    @Nested
    class RoundTrip {
        @Test
        void aGetAnswersStatusHeadersAndBody() {
            LoopbackHttpServer srv = server().route("/hello", r -> LoopbackHttpServer.Reply.of(200, "hi there é")
                    .header("X-Probe", "yes").header("Content-Type", "text/plain; charset=utf-8"));
            JsonObject res = send(localhost(), request("url", srv.url("localhost", "/hello?q=1")));
            assertThat(res.keySet()).containsExactlyInAnyOrder("status", "headers", "body");
            assertThat(res.get("status").getAsInt()).isEqualTo(200);
            assertThat(body(res)).isEqualTo("hi there é");
            assertThat(res.getAsJsonObject("headers").get("x-probe").getAsString()).isEqualTo("yes");
            assertThat(srv.seen()).singleElement().satisfies(seen -> {
                assertThat(seen.method()).isEqualTo("GET");
                assertThat(seen.target()).isEqualTo("/hello?q=1");
                assertThat(seen.headers().get("host")).isEqualTo("localhost:" + srv.port());
            });
        }

        @Test
        void methodsAreCaseInsensitiveAndTheBodyArrives() {
            LoopbackHttpServer srv = server().route("/echo", r -> LoopbackHttpServer.Reply.of(201, r.method() + ":" + r.text()));
            HttpFunctions http = localhost();
            for (String m : List.of("post", "PUT", "Patch", "delete", "options")) {
                JsonObject res = send(http, request("url", srv.url("localhost", "/echo"), "method", m, "body", "payload"));
                assertThat(res.get("status").getAsInt()).isEqualTo(201);
                assertThat(body(res)).isEqualTo(m.toUpperCase(java.util.Locale.ROOT) + ":payload");
            }
        }

        @Test
        void defaultsAreGetWithoutHeadersOrBody() {
            LoopbackHttpServer srv = server().route("/d", r -> LoopbackHttpServer.Reply.of(200, r.method() + ":" + r.body().length));
            JsonObject res = send(localhost(), request("url", srv.url("localhost", "/d"), "method", null, "headers", null,
                    "body", null));
            assertThat(body(res)).isEqualTo("GET:0");
        }

        @Test
        void clientAndServerErrorsAreResponsesNotTraps() {
            LoopbackHttpServer srv = server().route("/gone", r -> LoopbackHttpServer.Reply.of(404, "nope"))
                    .route("/boom", r -> LoopbackHttpServer.Reply.of(500, "broken"));
            HttpFunctions http = localhost();
            assertThat(send(http, request("url", srv.url("localhost", "/gone"))).get("status").getAsInt()).isEqualTo(404);
            JsonObject boom = send(http, request("url", srv.url("localhost", "/boom")));
            assertThat(boom.get("status").getAsInt()).isEqualTo(500);
            assertThat(body(boom)).isEqualTo("broken");
        }

        @Test
        void headAnswersAnEmptyBody() {
            LoopbackHttpServer srv = server().route("/h", r -> LoopbackHttpServer.Reply.of(200, "ignored"));
            JsonObject res = send(localhost(), request("url", srv.url("localhost", "/h"), "method", "HEAD"));
            assertThat(res.get("status").getAsInt()).isEqualTo(200);
            assertThat(body(res)).isEmpty();
        }

        @Test
        void headOfSomethingLargerThanTheLimitIsFine() {
            LoopbackHttpServer srv = server().route("/large", r -> LoopbackHttpServer.Reply.of(200, "")
                    .header("Content-Length", String.valueOf(PayloadLimits.MAX_GUEST_PAYLOAD * 2L)));
            JsonObject res = send(localhost(), request("url", srv.url("localhost", "/large"), "method", "HEAD"));
            assertThat(res.get("status").getAsInt()).isEqualTo(200);
            assertThat(res.getAsJsonObject("headers").get("content-length").getAsLong())
                    .isEqualTo(PayloadLimits.MAX_GUEST_PAYLOAD * 2L);
            assertThat(body(res)).isEmpty();
        }

        @Test
        void aResponseBodyThatIsNotUtf8Traps() {
            LoopbackHttpServer srv = server().route("/bin", r -> new LoopbackHttpServer.Reply(200, List.of(),
                    new byte[] {(byte) 0xff, (byte) 0xfe, 0}, false));
            assertHostError(() -> localhost().httpRequest(b(request("url", srv.url("localhost", "/bin")))))
                    .hasMessage("the response body is not valid UTF-8 (status 200)");
        }
    }

    // ---- headers ---------------------------------------------------------------------------------

    /** Request headers are validated; response headers come back by lower-case name. */
    @Nested
    class Headers {
        @Test
        void requestHeadersReachTheServerAndTheHostHeaderIsTheUrlsHost() {
            LoopbackHttpServer srv = server().route("/h", r -> LoopbackHttpServer.Reply.of(200, "ok"));
            send(localhost(), request("url", srv.url("localhost", "/h"), "headers",
                    Map.of("X-Token", "abc", "Accept", "text/plain", "Host", "evil.example")));
            Map<String, String> seen = srv.seen().get(0).headers();
            assertThat(seen).containsEntry("x-token", "abc").containsEntry("accept", "text/plain")
                    .containsEntry("host", "localhost:" + srv.port());
        }

        @Test
        void responseHeaderNamesAreLowerCaseAndTheLastValueWins() {
            LoopbackHttpServer srv = server().route("/m", r -> LoopbackHttpServer.Reply.of(200, "ok")
                    .header("X-Multi", "first").header("X-Multi", "last").header("X-Upper", "V"));
            JsonObject headers = send(localhost(), request("url", srv.url("localhost", "/m"))).getAsJsonObject("headers");
            assertThat(headers.get("x-multi").getAsString()).isEqualTo("last");
            assertThat(headers.get("x-upper").getAsString()).isEqualTo("V");
            assertThat(headers.keySet()).allMatch(k -> k.equals(k.toLowerCase(java.util.Locale.ROOT)));
        }

        @Test
        void lineBreaksInAHeaderValueTrapAndNothingIsSent() {
            LoopbackHttpServer srv = server().route("/x", r -> LoopbackHttpServer.Reply.of(200, "ok"));
            HttpFunctions http = localhost();
            for (String v : List.of("a\r\nX-Injected: 1", "a\nb", "a\rb")) {
                assertHostError(() -> http.httpRequest(b(request("url", srv.url("localhost", "/x"), "headers", Map.of("X-A", v)))))
                        .hasMessage("invalid value of header 'X-A': it holds a line break");
            }
            assertThat(srv.seen()).isEmpty();
        }

        @Test
        void badHeaderNamesTrap() {
            LoopbackHttpServer srv = server().route("/x", r -> LoopbackHttpServer.Reply.of(200, "ok"));
            HttpFunctions http = localhost();
            for (String name : List.of("X-Bad\nName", "X Space", "", "X:Colon", "Ünï")) {
                assertHostError(() -> http.httpRequest(b(request("url", srv.url("localhost", "/x"), "headers", Map.of(name, "v")))))
                        .message().startsWith("invalid header name '");
            }
            assertHostError(() -> http.httpRequest(b(request("url", srv.url("localhost", "/x"), "headers", Map.of("X-A", "é")))))
                    .hasMessage("invalid value of header 'X-A': only printable ASCII, space and tab");
            assertThat(srv.seen()).isEmpty();
        }
    }

    // ---- limits ----------------------------------------------------------------------------------

    /** Bodies are capped both ways, and the call's deadline bounds the wait. */
    @Nested
    class Limits {
        @Test
        void aResponseBodyOverTenMibTrapsEvenWithoutContentLength() {
            byte[] big = new byte[PayloadLimits.MAX_GUEST_PAYLOAD + 1];
            Arrays.fill(big, (byte) 'a');
            LoopbackHttpServer srv = server().route("/big", r -> new LoopbackHttpServer.Reply(200, List.of(), big, true))
                    .route("/declared", r -> new LoopbackHttpServer.Reply(200, List.of(), big, false));
            HttpFunctions http = localhost();
            for (String path : List.of("/big", "/declared")) {
                assertHostError(() -> http.httpRequest(b(request("url", srv.url("localhost", path)))))
                        .hasMessage("response body exceeds the limit of " + PayloadLimits.MAX_GUEST_PAYLOAD + " bytes");
            }
        }

        @Test
        void aResponseBodyOfExactlyTenMibArrives() {
            byte[] full = new byte[PayloadLimits.MAX_GUEST_PAYLOAD];
            Arrays.fill(full, (byte) 'b');
            LoopbackHttpServer srv = server().route("/full", r -> new LoopbackHttpServer.Reply(200, List.of(), full, true));
            JsonObject res = send(localhost(), request("url", srv.url("localhost", "/full")));
            assertThat(body(res)).hasSize(PayloadLimits.MAX_GUEST_PAYLOAD);
        }

        @Test
        void aRequestBodyOverTenMibTraps() {
            LoopbackHttpServer srv = server().route("/x", r -> LoopbackHttpServer.Reply.of(200, "ok"));
            String body = "c".repeat(PayloadLimits.MAX_GUEST_PAYLOAD + 1);
            assertHostError(() -> localhost().httpRequest(b(request("url", srv.url("localhost", "/x"), "method", "POST",
                    "body", body)))).hasMessage("request body of " + (PayloadLimits.MAX_GUEST_PAYLOAD + 1)
                            + " bytes exceeds the limit of " + PayloadLimits.MAX_GUEST_PAYLOAD + " bytes");
            assertThat(srv.seen()).isEmpty();
        }

        @Test
        void aServerThatNeverAnswersTrapsAtTheCallsDeadline() throws Exception {
            CountDownLatch release = new CountDownLatch(1);
            LoopbackHttpServer srv = server().route("/slow", r -> {
                release.await();
                return LoopbackHttpServer.Reply.of(200, "late");
            });
            TestCapsule c = host.capsule("slow").capabilities(Capabilities.builder().net("localhost").build())
                    .settings(ProviderSettings.of(Map.of(ALLOW_PRIVATE, "true", "http.timeout-ms", "3600000"))).build();
            HttpFunctions http = bind(c);
            c.setInvocation(new Invocation("run", Invocation.Caller.NONE, OptionalLong.of(System.nanoTime() + 2_000_000_000L)));
            FutureTask<Throwable> call = new FutureTask<>(() -> {
                try {
                    http.httpRequest(b(request("url", srv.url("localhost", "/slow"))));
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            Thread t = new Thread(call, "http-deadline");
            t.setDaemon(true);
            t.start();
            try {
                Throwable e = call.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertThat(e).isInstanceOf(dev.astrid.host.spi.HostException.class)
                        .hasMessage("no complete response from 'localhost' within the time limit");
            } finally {
                release.countDown();
            }
        }
    }

    // ---- denials ---------------------------------------------------------------------------------

    /** Hosts outside the net list, other schemes, methods and malformed requests trap. */
    @Nested
    class Denials {
        @Test
        void aHostOutsideTheNetListTrapsNamingTheHostAndTheRule() {
            HttpFunctions http = http(List.of("example.com"), Map.of(ALLOW_PRIVATE, "true"));
            assertHostError(() -> http.httpRequest(b(request("url", "http://evilexample.com/"))))
                    .hasMessage("security denied network access: host 'evilexample.com' is not in the capsule's net list "
                            + "[example.com] (an entry allows itself and its subdomains)");
            assertHostError(() -> http.httpRequest(b(request("url", "http://example.com.evil.org/")))).message()
                    .startsWith("security denied network access: host 'example.com.evil.org'");
        }

        @Test
        void aHugeUrlIsQuotedOnlyInPart() {
            HttpFunctions http = http(List.of("example.com"), Map.of());
            String host = "a".repeat(5000) + ".org";
            assertHostError(() -> http.httpRequest(b(request("url", "http://" + host + "/")))).message()
                    .startsWith("security denied network access: host 'aaaa").contains("…").hasSizeLessThan(500);
            assertHostError(() -> http.httpRequest(b(request("url", "http://exa mple.com/" + "b".repeat(5000))))).message()
                    .startsWith("invalid url 'http://exa mple.com/bbb").hasSizeLessThan(500);
        }

        @Test
        void withoutANetListEveryHostIsDenied() {
            LoopbackHttpServer srv = server().route("/x", r -> LoopbackHttpServer.Reply.of(200, "ok"));
            HttpFunctions http = http(List.of(), Map.of(ALLOW_PRIVATE, "true"));
            assertHostError(() -> http.httpRequest(b(request("url", srv.url("localhost", "/x")))))
                    .hasMessage("security denied network access: host 'localhost' is not in the capsule's net list (it is empty)");
            assertThat(srv.seen()).isEmpty();
        }

        @Test
        void subdomainsAndTheWildcardAreAllowed() {
            LoopbackHttpServer srv = server().route("/x", r -> LoopbackHttpServer.Reply.of(200, "ok"));
            assertThat(send(http(List.of("*"), Map.of(ALLOW_PRIVATE, "true")), request("url", srv.url("localhost", "/x")))
                    .get("status").getAsInt()).isEqualTo(200);
            assertThat(send(http(List.of("LOCALHOST"), Map.of(ALLOW_PRIVATE, "true")),
                    request("url", srv.url("LocalHost", "/x"))).get("status").getAsInt()).isEqualTo(200);
        }

        @Test
        void onlyHttpAndHttpsUrlsWithAHost() {
            HttpFunctions http = http(List.of("*"), Map.of(ALLOW_PRIVATE, "true"));
            assertHostError(() -> http.httpRequest(b(request("url", "file:///etc/passwd"))))
                    .hasMessage("unsupported url scheme 'file' (http or https only)");
            assertHostError(() -> http.httpRequest(b(request("url", "http:///nohost")))).message()
                    .startsWith("the url has no host");
            assertHostError(() -> http.httpRequest(b(request("url", "ftp://example.com/x"))))
                    .hasMessage("unsupported url scheme 'ftp' (http or https only)");
            assertHostError(() -> http.httpRequest(b(request("url", "/relative")))).message()
                    .startsWith("the url must be absolute");
            assertHostError(() -> http.httpRequest(b(request("url", "http://user:pw@localhost/"))))
                    .hasMessage("credentials in the url are not supported; send an Authorization header");
            assertHostError(() -> http.httpRequest(b(request("url", "http://exa mple.com/")))).message()
                    .startsWith("invalid url 'http://exa mple.com/'");
        }

        @Test
        void otherMethodsTrap() {
            HttpFunctions http = localhost();
            for (String m : List.of("CONNECT", "TRACE", "FETCH", "")) {
                assertHostError(() -> http.httpRequest(b(request("url", "http://localhost:9/", "method", m)))).message()
                        .startsWith("unsupported method '" + m + "'");
            }
        }

        @Test
        void malformedRequestsTrapWithTheReason() {
            HttpFunctions http = localhost();
            assertHostError(() -> http.httpRequest(b("{\"url\":"))).message().startsWith("invalid request: ");
            assertHostError(() -> http.httpRequest(b("[]"))).hasMessage("invalid request: expected a JSON object, got an array");
            assertHostError(() -> http.httpRequest(b("{}"))).hasMessage("invalid request: missing field \"url\"");
            assertHostError(() -> http.httpRequest(b("{\"url\":1}")))
                    .hasMessage("invalid request: field \"url\" must be a string, got a number");
            assertHostError(() -> http.httpRequest(b("{\"url\":\"http://localhost/\",\"headers\":{\"a\":1}}")))
                    .hasMessage("invalid request: field \"headers.a\" must be a string, got a number");
            assertHostError(() -> http.httpRequest(b("{\"url\":\"http://localhost/\",\"body\":{}}")))
                    .hasMessage("invalid request: field \"body\" must be a string, got an object");
            assertHostError(() -> http.httpRequest(new byte[] {'{', (byte) 0xff, '}'}))
                    .hasMessage("invalid request: the request is not valid UTF-8");
        }
    }

    // ---- redirects -------------------------------------------------------------------------------

    /** Redirects are followed here, at most 5, each hop checked like the first. */
    @Nested
    class Redirects {
        @Test
        void aRedirectIsFollowedAndThreeOhThreeTurnsAPostIntoAGet() {
            LoopbackHttpServer srv = server();
            srv.route("/from", r -> LoopbackHttpServer.Reply.redirect(302, "/to"))
                    .route("/post", r -> LoopbackHttpServer.Reply.redirect(303, srv.url("localhost", "/to")))
                    .route("/keep", r -> LoopbackHttpServer.Reply.redirect(307, "/to"))
                    .route("/to", r -> LoopbackHttpServer.Reply.of(200, r.method() + ":" + r.text()));
            HttpFunctions http = localhost();
            assertThat(body(send(http, request("url", srv.url("localhost", "/from"))))).isEqualTo("GET:");
            assertThat(body(send(http, request("url", srv.url("localhost", "/post"), "method", "POST", "body", "x"))))
                    .isEqualTo("GET:");
            assertThat(body(send(http, request("url", srv.url("localhost", "/keep"), "method", "POST", "body", "x"))))
                    .isEqualTo("POST:x");
        }

        @Test
        void fiveRedirectsAreFollowedAndASixthTraps() {
            LoopbackHttpServer srv = server();
            for (int i = 0; i < 6; i++) {
                int next = i + 1;
                srv.route("/r" + i, r -> LoopbackHttpServer.Reply.redirect(301, "/r" + next));
            }
            srv.route("/r5", r -> LoopbackHttpServer.Reply.of(200, "arrived"));
            srv.route("/r6", r -> LoopbackHttpServer.Reply.of(200, "too far"));
            HttpFunctions http = localhost();
            assertThat(body(send(http, request("url", srv.url("localhost", "/r0"))))).isEqualTo("arrived");
            srv.route("/r5", r -> LoopbackHttpServer.Reply.redirect(301, "/r6"));
            assertHostError(() -> http.httpRequest(b(request("url", srv.url("localhost", "/r0")))))
                    .hasMessage("too many redirects (more than 5)");
        }

        @Test
        void aRedirectToAHostOutsideTheNetListTraps() {
            LoopbackHttpServer srv = server().route("/away", r -> LoopbackHttpServer.Reply.redirect(302,
                    "http://evil.example/steal"));
            assertHostError(() -> localhost().httpRequest(b(request("url", srv.url("localhost", "/away")))))
                    .hasMessage("redirect refused: security denied network access: host 'evil.example' is not in the "
                            + "capsule's net list [localhost] (an entry allows itself and its subdomains)");
        }

        @Test
        void aRedirectToAnotherSchemeTraps() {
            LoopbackHttpServer srv = server().route("/file", r -> LoopbackHttpServer.Reply.redirect(302, "file:///etc/passwd"));
            assertHostError(() -> localhost().httpRequest(b(request("url", srv.url("localhost", "/file"))))).message()
                    .startsWith("redirect refused: ");
        }

        @Test
        void aRedirectWithoutLocationIsTheAnswer() {
            LoopbackHttpServer srv = server().route("/bare", r -> LoopbackHttpServer.Reply.of(302, "no location"));
            JsonObject res = send(localhost(), request("url", srv.url("localhost", "/bare")));
            assertThat(res.get("status").getAsInt()).isEqualTo(302);
        }

        @Test
        void credentialsAreNotCarriedToAnotherHost() {
            LoopbackHttpServer a = server();
            LoopbackHttpServer b = server().route("/land", r -> LoopbackHttpServer.Reply.of(200, "landed"));
            a.route("/go", r -> LoopbackHttpServer.Reply.redirect(302, b.url("127.0.0.1", "/land")));
            HttpFunctions http = http(List.of("localhost", "127.0.0.1"), Map.of(ALLOW_PRIVATE, "true"));
            send(http, request("url", a.url("localhost", "/go"), "headers", Map.of("Authorization", "Bearer t", "X-Keep", "k")));
            assertThat(b.seen()).singleElement().satisfies(seen -> {
                assertThat(seen.headers()).doesNotContainKey("authorization").containsEntry("x-keep", "k");
            });
        }
    }

    // ---- addresses -------------------------------------------------------------------------------

    /** Addresses are judged after resolution; private ones only with the host setting. */
    @Nested
    class Addresses {
        @Test
        void aNameThatResolvesToLoopbackIsRefusedEvenThoughTheNetListMatches() {
            LoopbackHttpServer srv = server().route("/x", r -> LoopbackHttpServer.Reply.of(200, "ok"));
            HttpFunctions http = http(List.of("localhost"), Map.of());
            assertHostError(() -> http.httpRequest(b(request("url", srv.url("localhost", "/x"))))).message()
                    .startsWith("security denied network access: host 'localhost' resolves only to refused addresses (")
                    .contains("is loopback").endsWith("need the host setting http.allow-private-addresses=true");
            assertThat(srv.seen()).isEmpty();
        }

        @Test
        void literalPrivateAddressesAreRefusedToo() {
            HttpFunctions http = http(List.of("*"), Map.of(ALLOW_PRIVATE, "false"));
            Map<String, String> cases = Map.of("http://127.0.0.1:9/", "127.0.0.1 is loopback",
                    "http://169.254.169.254/latest/meta-data", "169.254.169.254 is link-local",
                    "http://10.1.2.3/", "10.1.2.3 is private", "http://[::1]:9/", "is loopback",
                    "http://[::ffff:127.0.0.1]/", "127.0.0.1 is loopback", "http://0.0.0.0/", "is unspecified",
                    "http://100.64.0.1/", "is shared address space", "http://[fd00:ec2::254]/", "is unique local");
            cases.forEach((url, why) -> assertHostError(() -> http.httpRequest(b(request("url", url)))).message()
                    .as(url).contains("resolves only to refused addresses").contains(why));
        }

        @Test
        void theSettingMustBeTrueOrFalse() {
            assertHostError(() -> http(List.of("*"), Map.of(ALLOW_PRIVATE, "yes")))
                    .hasMessage("setting http.allow-private-addresses must be true or false, got 'yes'");
        }
    }

    // ---- streaming (extension imports of SDK 0.2.2) -----------------------------------------------

    /**
     * {@code astrid_http_stream_start/read/close}, for a provider whose {@code extensions()} names
     * them: the same request and checks as {@code astrid_http_request}, the headers at start, the
     * body piece by piece (at most 64 KiB a read), at most 4 open streams, closing idempotent, every
     * stream ended when the binding closes. A provider that names none must not pretend to serve them.
     */
    @Nested
    class Streams {
        private final List<AutoCloseable> bindings = new ArrayList<>();

        @AfterEach
        void closeBindings() throws Exception {
            for (AutoCloseable b : bindings) {
                b.close();
            }
        }

        private boolean served() {
            return provider.extensions().containsAll(EnumSet.of(ExtensionFunction.HTTP_STREAM_START,
                    ExtensionFunction.HTTP_STREAM_READ, ExtensionFunction.HTTP_STREAM_CLOSE));
        }

        private HttpStreamFunctions streams(HttpFunctions http) {
            assumeTrue(served(), "the provider serves no streaming imports");
            assertThat(http).as("a binding of a provider whose extensions() names the streaming imports")
                    .isInstanceOf(HttpStreamFunctions.class).isInstanceOf(AutoCloseable.class);
            bindings.add((AutoCloseable) http);
            return (HttpStreamFunctions) http;
        }

        private HttpStreamFunctions local() {
            return streams(localhost());
        }

        private JsonObject start(HttpStreamFunctions s, String requestJson) {
            return JsonParser.parseString(s(s.httpStreamStart(b(requestJson)))).getAsJsonObject();
        }

        private String handle(JsonObject started) {
            return started.get("handle").getAsString();
        }

        /** Reads until the empty answer; returns what came, each read checked against the bound. */
        private byte[] readAll(HttpStreamFunctions s, String handle) {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (byte[] piece = s.httpStreamRead(b(handle)); piece.length > 0; piece = s.httpStreamRead(b(handle))) {
                assertThat(piece.length).isLessThanOrEqualTo(64 * 1024);
                all.writeBytes(piece);
            }
            return all.toByteArray();
        }

        @Test
        void aBindingServesTheStreamingImportsExactlyWhenTheProviderNamesThem() throws Exception {
            HttpFunctions http = localhost();
            if (http instanceof AutoCloseable) {
                bindings.add((AutoCloseable) http);
            }
            // The engine links by the binding's type; ./astrid abi reports by extensions(): they must agree.
            assertThat(http instanceof HttpStreamFunctions).as("the binding implements HttpStreamFunctions")
                    .isEqualTo(served());
            if (!served()) {
                assertThat(provider.extensions()).noneMatch(e -> e.family() == Family.HTTP);
            }
        }

        @Test
        void startAnswersTheHeadersBeforeTheBodyWhichThenArrivesPieceByPieceUntilEmpty() throws Exception {
            CountDownLatch more = new CountDownLatch(1);
            LoopbackHttpServer srv = server().route("/s", r -> LoopbackHttpServer.Reply.streamed(200, out -> {
                out.write(b("first"));
                out.flush();
                more.await();
                out.write(b("second "));
                out.flush();
                out.write(b("third"));
                out.flush();
            }).header("X-Probe", "yes"));
            HttpStreamFunctions s = local();
            JsonObject started = start(s, request("url", srv.url("localhost", "/s?q=1"), "headers", Map.of("X-Token", "t")));
            assertThat(started.keySet()).containsExactlyInAnyOrder("handle", "status", "headers");
            assertThat(started.get("handle").getAsJsonPrimitive().isString()).isTrue();
            assertThat(handle(started)).isEqualTo("1");
            assertThat(started.get("status").getAsInt()).isEqualTo(200);
            assertThat(started.getAsJsonObject("headers").get("x-probe").getAsString()).isEqualTo("yes");
            assertThat(srv.seen()).singleElement().satisfies(seen -> {
                assertThat(seen.target()).isEqualTo("/s?q=1");
                assertThat(seen.headers()).containsEntry("x-token", "t").containsEntry("host", "localhost:" + srv.port());
            });
            // The server holds the rest back until the first piece was read: the body is not buffered whole.
            assertThat(s(s.httpStreamRead(b("1")))).isEqualTo("first");
            more.countDown();
            assertThat(s(readAll(s, "1"))).isEqualTo("second third");
            assertThat(s.httpStreamRead(b("1"))).isEmpty();
            s.httpStreamClose(b("1"));
            s.httpStreamClose(b("1"));
            assertHostError(() -> s.httpStreamRead(b("1"))).hasMessage("unknown HTTP stream handle 1");
        }

        @Test
        void aLargeBodyComesInPiecesOfAtMost64KiBAndErrorStatusesAreStreamsToo() {
            byte[] big = new byte[300_000];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31);
            }
            LoopbackHttpServer srv = server().route("/big", r -> LoopbackHttpServer.Reply.streamed(503, out -> {
                out.write(big);
                out.flush();
            })).route("/fixed", r -> LoopbackHttpServer.Reply.of(404, "not here"));
            HttpStreamFunctions s = local();
            JsonObject started = start(s, request("url", srv.url("localhost", "/big"), "method", "post", "body", "x"));
            assertThat(started.get("status").getAsInt()).isEqualTo(503);
            assertThat(readAll(s, handle(started))).isEqualTo(big);
            JsonObject fixed = start(s, request("url", srv.url("localhost", "/fixed")));
            assertThat(fixed.get("status").getAsInt()).isEqualTo(404);
            assertThat(handle(fixed)).isEqualTo("2");
            assertThat(s(readAll(s, handle(fixed)))).isEqualTo("not here");
            assertThat(srv.seen().get(0).method()).isEqualTo("POST");
        }

        @Test
        void atMostFourStreamsAreOpenAndHandlesAreNeverReused() {
            LoopbackHttpServer srv = server().route("/x", r -> LoopbackHttpServer.Reply.of(200, "x"));
            HttpStreamFunctions s = local();
            for (int i = 1; i <= 4; i++) {
                assertThat(handle(start(s, request("url", srv.url("localhost", "/x"))))).isEqualTo(String.valueOf(i));
            }
            // An ended stream still counts until it is closed.
            assertThat(s(readAll(s, "4"))).isEqualTo("x");
            assertHostError(() -> s.httpStreamStart(b(request("url", srv.url("localhost", "/x")))))
                    .hasMessage("too many open HTTP streams (at most 4 per capsule); close one with astrid_http_stream_close");
            assertThat(srv.seen()).hasSize(4);
            s.httpStreamClose(b("2"));
            assertThat(handle(start(s, request("url", srv.url("localhost", "/x"))))).isEqualTo("5");
        }

        @Test
        void handlesAreDecimalTextUnknownOnesTrapOnReadAndCloseOfAnUnknownOneIsNoError() {
            LoopbackHttpServer srv = server().route("/x", r -> LoopbackHttpServer.Reply.of(200, "x"));
            HttpStreamFunctions s = local();
            start(s, request("url", srv.url("localhost", "/x")));
            assertThat(s(s.httpStreamRead(b("+001")))).isEqualTo("x");
            assertHostError(() -> s.httpStreamRead(b("2"))).hasMessage("unknown HTTP stream handle 2");
            assertHostError(() -> s.httpStreamRead(b("18446744073709551615")))
                    .hasMessage("unknown HTTP stream handle 18446744073709551615");
            s.httpStreamClose(b("99"));
            for (String bad : List.of("", "abc", "-1", " 1", "1.0", "+")) {
                assertHostError(() -> s.httpStreamClose(b(bad))).as("'%s'", bad).message().startsWith("invalid stream handle: ");
                assertHostError(() -> s.httpStreamRead(b(bad))).as("'%s'", bad).message().startsWith("invalid stream handle: ");
            }
            assertHostError(() -> s.httpStreamClose(b("18446744073709551616")))
                    .hasMessage("invalid stream handle: larger than 18446744073709551615");
            assertHostError(() -> s.httpStreamClose(b("1".repeat(1025)))).message().contains("exceeds maximum allowed limit of 1024");
            s.httpStreamClose(b("0001"));
            assertHostError(() -> s.httpStreamRead(b("1"))).hasMessage("unknown HTTP stream handle 1");
        }

        @Test
        void theNetListAddressRulesHeadersAndBodyLimitGuardStartAsTheyGuardARequest() {
            LoopbackHttpServer srv = server().route("/x", r -> LoopbackHttpServer.Reply.of(200, "ok"));
            HttpStreamFunctions other = streams(http(List.of("example.com"), Map.of(ALLOW_PRIVATE, "true")));
            assertHostError(() -> other.httpStreamStart(b(request("url", srv.url("localhost", "/x")))))
                    .hasMessage("security denied network access: host 'localhost' is not in the capsule's net list "
                            + "[example.com] (an entry allows itself and its subdomains)");
            HttpStreamFunctions strict = streams(http(List.of("localhost"), Map.of()));
            assertHostError(() -> strict.httpStreamStart(b(request("url", srv.url("localhost", "/x"))))).message()
                    .startsWith("security denied network access: host 'localhost' resolves only to refused addresses (")
                    .contains("is loopback");
            HttpStreamFunctions s = local();
            assertHostError(() -> s.httpStreamStart(b(request("url", srv.url("localhost", "/x"), "headers",
                    Map.of("X-A", "a\r\nX-Injected: 1"))))).hasMessage("invalid value of header 'X-A': it holds a line break");
            assertHostError(() -> s.httpStreamStart(b(request("url", srv.url("localhost", "/x"), "method", "POST",
                    "body", "c".repeat(PayloadLimits.MAX_GUEST_PAYLOAD + 1))))).message().startsWith("request body of ");
            assertHostError(() -> s.httpStreamStart(b("{}"))).hasMessage("invalid request: missing field \"url\"");
            assertHostError(() -> s.httpStreamStart(b(request("url", srv.url("localhost", "/x"), "method", "TRACE"))))
                    .message().startsWith("unsupported method 'TRACE'");
            assertThat(srv.seen()).isEmpty();
            // Refused starts hold no slot.
            for (int i = 0; i < 4; i++) {
                start(s, request("url", srv.url("localhost", "/x")));
            }
        }

        @Test
        void redirectsAreFollowedAndCheckedHopByHop() {
            LoopbackHttpServer srv = server();
            srv.route("/from", r -> LoopbackHttpServer.Reply.redirect(302, "/to"))
                    .route("/to", r -> LoopbackHttpServer.Reply.streamed(200, out -> out.write(b("landed"))))
                    .route("/away", r -> LoopbackHttpServer.Reply.redirect(307, "http://evil.example/steal"));
            HttpStreamFunctions s = local();
            JsonObject started = start(s, request("url", srv.url("localhost", "/from")));
            assertThat(started.get("status").getAsInt()).isEqualTo(200);
            assertThat(s(readAll(s, handle(started)))).isEqualTo("landed");
            assertHostError(() -> s.httpStreamStart(b(request("url", srv.url("localhost", "/away")))))
                    .hasMessage("redirect refused: security denied network access: host 'evil.example' is not in the "
                            + "capsule's net list [localhost] (an entry allows itself and its subdomains)");
        }

        @Test
        void closingTheBindingEndsEveryStreamAndAWaitingReadAnswersEmpty() throws Exception {
            CountDownLatch hungUp = new CountDownLatch(1);
            CountDownLatch never = new CountDownLatch(1);
            LoopbackHttpServer srv = server().route("/hose", r -> LoopbackHttpServer.Reply.streamed(200, out -> {
                try {
                    byte[] piece = new byte[8192];
                    while (true) {
                        out.write(piece);
                        out.flush();
                    }
                } catch (java.io.IOException e) {
                    hungUp.countDown();
                }
            })).route("/quiet", r -> LoopbackHttpServer.Reply.streamed(200, out -> {
                out.write(b("hello"));
                out.flush();
                never.await();
            }));
            TestCapsule c = host.capsule("web").capabilities(Capabilities.builder().net("localhost").build())
                    .settings(ProviderSettings.of(Map.of(ALLOW_PRIVATE, "true", "http.stream-read-timeout-ms", "3600000")))
                    .build();
            HttpStreamFunctions s = streams(bind(c));
            String hose = handle(start(s, request("url", srv.url("localhost", "/hose"))));
            assertThat(s.httpStreamRead(b(hose))).isNotEmpty();
            String quiet = handle(start(s, request("url", srv.url("localhost", "/quiet"))));
            assertThat(s(s.httpStreamRead(b(quiet)))).isEqualTo("hello");
            FutureTask<byte[]> waiting = new FutureTask<>(() -> s.httpStreamRead(b(quiet)));
            Thread t = new Thread(waiting, "http-stream-read");
            t.setDaemon(true);
            t.start();
            try {
                ((AutoCloseable) s).close();
                assertThat(waiting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEmpty();
                assertThat(hungUp.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the server saw the client hang up").isTrue();
                assertThat(s.httpStreamRead(b(hose))).isEmpty();
                assertHostError(() -> s.httpStreamStart(b(request("url", srv.url("localhost", "/quiet")))))
                        .hasMessage("the capsule is unloading");
            } finally {
                never.countDown();
            }
        }

        @Test
        void aReadWaitsAtMostTheSettingAndNeverPastTheCallsDeadline() throws Exception {
            CountDownLatch never = new CountDownLatch(1);
            LoopbackHttpServer srv = server().route("/quiet", r -> LoopbackHttpServer.Reply.streamed(200, out -> {
                out.write(b("hi"));
                out.flush();
                never.await();
            }));
            try {
                HttpStreamFunctions shortWait = streams(http(List.of("localhost"),
                        Map.of(ALLOW_PRIVATE, "true", "http.stream-read-timeout-ms", "300")));
                String h = handle(start(shortWait, request("url", srv.url("localhost", "/quiet"))));
                assertThat(s(shortWait.httpStreamRead(b(h)))).isEqualTo("hi");
                assertHostError(() -> shortWait.httpStreamRead(b(h))).hasMessage("no data from 'localhost' within 300 ms");
                // The stream stays open: a later read may still get data.
                assertHostError(() -> shortWait.httpStreamRead(b(h))).hasMessage("no data from 'localhost' within 300 ms");

                TestCapsule c = host.capsule("slow").capabilities(Capabilities.builder().net("localhost").build())
                        .settings(ProviderSettings.of(Map.of(ALLOW_PRIVATE, "true", "http.stream-read-timeout-ms", "3600000")))
                        .build();
                HttpStreamFunctions s = streams(bind(c));
                String handle = handle(start(s, request("url", srv.url("localhost", "/quiet"))));
                assertThat(s(s.httpStreamRead(b(handle)))).isEqualTo("hi");
                c.setInvocation(new Invocation("run", Invocation.Caller.NONE,
                        OptionalLong.of(System.nanoTime() + 1_000_000_000L)));
                FutureTask<Throwable> call = new FutureTask<>(() -> {
                    try {
                        s.httpStreamRead(b(handle));
                        return null;
                    } catch (RuntimeException e) {
                        return e;
                    }
                });
                Thread t = new Thread(call, "http-stream-deadline");
                t.setDaemon(true);
                t.start();
                Throwable e = call.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertThat(e).isInstanceOf(dev.astrid.host.spi.HostException.class).message()
                        .matches("no data from 'localhost' within [0-9]+ ms|the call has no time left to wait for data");
                c.setInvocation(new Invocation("run", Invocation.Caller.NONE, OptionalLong.of(System.nanoTime())));
                assertHostError(() -> s.httpStreamRead(b(handle))).hasMessage("the call has no time left to wait for data");
            } finally {
                never.countDown();
            }
        }

        @Test
        void aConnectionLostInTheMiddleTrapsOnceAndTheStreamHasEndedThen() throws Exception {
            try (java.net.ServerSocket raw = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                // A server that promises a chunked body, sends one chunk and hangs up.
                FutureTask<Void> serve = new FutureTask<>(() -> {
                    try (java.net.Socket sock = raw.accept()) {
                        java.io.InputStream in = sock.getInputStream();
                        int last = 0;
                        for (int c = in.read(); c >= 0; c = in.read()) {
                            last = (last << 8 | c) & 0xffffffff;
                            if (last == 0x0d0a0d0a) {
                                break;
                            }
                        }
                        sock.getOutputStream().write(b("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\npart1\r\n"));
                        sock.getOutputStream().flush();
                    }
                    return null;
                });
                Thread t = new Thread(serve, "raw-http");
                t.setDaemon(true);
                t.start();
                HttpStreamFunctions s = local();
                String h = handle(start(s, request("url", "http://localhost:" + raw.getLocalPort() + "/cut")));
                serve.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                Throwable failure = null;
                while (failure == null) {
                    try {
                        byte[] piece = s.httpStreamRead(b(h));
                        assertThat(piece).as("a lost connection is not a normal end").isNotEmpty();
                        got.writeBytes(piece);
                    } catch (RuntimeException e) {
                        failure = e;
                    }
                }
                assertThat(s(got.toByteArray())).isEqualTo("part1");
                assertThat(failure).isInstanceOf(dev.astrid.host.spi.HostException.class).message()
                        .isIn("the server 'localhost' closed the connection before a complete response",
                                "the connection to 'localhost' failed or was closed");
                assertThat(s.httpStreamRead(b(h))).isEmpty();
            }
        }

        @Test
        void theReadTimeoutSettingMustBeInRange() {
            assumeTrue(served(), "the provider serves no streaming imports");
            assertHostError(() -> http(List.of("*"), Map.of("http.stream-read-timeout-ms", "0")))
                    .hasMessage("setting http.stream-read-timeout-ms must be between 1 and 3600000, got 0");
        }
    }
}
