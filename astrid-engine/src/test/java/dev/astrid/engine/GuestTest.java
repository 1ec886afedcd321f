package dev.astrid.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.sys.abi.AbiFunction;
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
}
