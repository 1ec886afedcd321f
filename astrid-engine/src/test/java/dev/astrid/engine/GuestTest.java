package dev.astrid.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.sys.abi.AbiFunction;
import dev.astrid.sys.abi.ExtensionFunction;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.HttpFunctions;
import dev.astrid.sys.abi.HttpStreamFunctions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The engine's facade on its own: compile, link, call, close, with no host around it. */
class GuestTest {
    private static final Duration T = Duration.ofSeconds(10);

    static byte[] guest(String name) {
        try (InputStream in = Objects.requireNonNull(GuestTest.class.getResourceAsStream("/guests/" + name + ".wasm"),
                "no test guest " + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void compilesLinksAndCallsAGuest() {
        GuestModule m = GuestModule.compile("kernel-probe", guest("kernel-probe"), EngineOptions.DEFAULT);
        assertThat(m.name()).isEqualTo("kernel-probe");
        assertThat(m.exports()).contains("echo");
        assertThat(m.usesWasi()).isFalse();
        try (Guest g = Guest.instantiate(m, GuestLinks.builder().build(), T)) {
            byte[] out = g.call("echo", "ok".getBytes(StandardCharsets.UTF_8), Invocation.Caller.NONE, T);
            assertThat(out).asString().isEqualTo("ok");
            assertThat(g.currentInvocation()).isEqualTo(Invocation.NONE);
        }
    }

    @Test
    void aClosedGuestRefusesCalls() {
        GuestModule m = GuestModule.compile("kernel-probe", guest("kernel-probe"), EngineOptions.DEFAULT.withInterpreter(true));
        Guest g = Guest.instantiate(m, GuestLinks.builder().build(), T);
        g.close();
        assertThatThrownBy(() -> g.call("echo", new byte[0], Invocation.Caller.NONE, T))
                .isInstanceOfSatisfying(GuestCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(GuestCallException.Kind.UNLOADED));
    }

    @Test
    void importsTheEngineCannotLinkAreRefusedAtCompile() {
        assertThatThrownBy(() -> GuestModule.compile("bad-imports", guest("bad-imports"), EngineOptions.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad-imports cannot be linked");
    }

    @Test
    void catalogImportsAreListedAndAnImplementationMustFitItsFamily() {
        GuestModule m = GuestModule.compile("abi-driver", guest("abi-driver"), EngineOptions.DEFAULT);
        assertThat(m.catalogImports()).hasSize(AbiFunction.values().length);
        assertThatThrownBy(() -> GuestLinks.builder().family(AbiFunction.values()[0].family(), new Object()))
                .isInstanceOf(ClassCastException.class);
    }

    /** HTTP with the streaming imports too; start echoes its request, read answers the handle reversed. */
    private static final class Streaming implements HttpFunctions, HttpStreamFunctions {
        final StringBuilder closed = new StringBuilder();

        @Override
        public byte[] httpRequest(byte[] request) {
            return request;
        }

        @Override
        public byte[] httpStreamStart(byte[] request) {
            return ("started " + new String(request, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] httpStreamRead(byte[] handle) {
            return new StringBuilder(new String(handle, StandardCharsets.UTF_8)).reverse().toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void httpStreamClose(byte[] handle) {
            closed.append(new String(handle, StandardCharsets.UTF_8));
        }
    }

    @Test
    void extensionImportsReachAFamilyBindingThatImplementsThemAndTrapOtherwise() {
        GuestModule m = GuestModule.compile("http-stream", guest("http-stream"), EngineOptions.DEFAULT);
        assertThat(m.catalogImports()).isEmpty();
        assertThat(m.extensionImports()).containsExactly(ExtensionFunction.HTTP_STREAM_START,
                ExtensionFunction.HTTP_STREAM_READ, ExtensionFunction.HTTP_STREAM_CLOSE);
        Streaming streaming = new Streaming();
        try (Guest g = Guest.instantiate(m, GuestLinks.builder().family(Family.HTTP, streaming).build(), T)) {
            assertThat(g.call("start", "{}".getBytes(StandardCharsets.UTF_8), Invocation.Caller.NONE, T)).asString()
                    .isEqualTo("started {}");
            assertThat(g.call("read", "123".getBytes(StandardCharsets.UTF_8), Invocation.Caller.NONE, T)).asString()
                    .isEqualTo("321");
            assertThat(g.call("close", "7".getBytes(StandardCharsets.UTF_8), Invocation.Caller.NONE, T)).isEmpty();
            assertThat(streaming.closed.toString()).isEqualTo("7");
            assertThatThrownBy(() -> g.call("read", new byte[1025], Invocation.Caller.NONE, T))
                    .hasMessage("astrid_http_stream_read: memory allocation of 1025 bytes exceeds maximum allowed limit of 1024 bytes");
        }
        HttpFunctions plain = request -> request;
        for (GuestLinks links : new GuestLinks[] {GuestLinks.builder().build(), GuestLinks.builder().family(Family.HTTP, plain).build()}) {
            try (Guest g = Guest.instantiate(m, links, T)) {
                assertThatThrownBy(() -> g.call("start", "{}".getBytes(StandardCharsets.UTF_8), Invocation.Caller.NONE, T))
                        .isInstanceOfSatisfying(GuestCallException.class,
                                e -> assertThat(e.kind()).isEqualTo(GuestCallException.Kind.HOST_ERROR))
                        .hasMessage("astrid_http_stream_start: no provider installed");
                assertThatThrownBy(() -> g.call("close", "1".getBytes(StandardCharsets.UTF_8), Invocation.Caller.NONE, T))
                        .hasMessage("astrid_http_stream_close: no provider installed");
            }
        }
    }
}
