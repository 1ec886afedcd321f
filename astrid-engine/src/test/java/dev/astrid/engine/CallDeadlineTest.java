package dev.astrid.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.spi.Invocation;
import dev.astrid.sys.abi.AbiFunction;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.HttpFunctions;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A host function sees the deadline of the call it runs in ({@link Invocation#remaining()}), so it
 * can stop waiting in time: present and within the call's timeout when the call has one, absent
 * when it has none.
 */
class CallDeadlineTest {
    static byte[] invoke(AbiFunction fn, byte[] arg) {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.write(fn.ordinal());
        in.write(1);
        in.write(arg.length);
        in.write(arg.length >>> 8);
        in.write(arg.length >>> 16);
        in.write(arg.length >>> 24);
        in.writeBytes(arg);
        return in.toByteArray();
    }

    @Test
    void aHostFunctionSeesWhatIsLeftOfItsCall() {
        AtomicReference<Guest> self = new AtomicReference<>();
        AtomicReference<Invocation> seen = new AtomicReference<>();
        HttpFunctions http = request -> {
            seen.set(self.get().currentInvocation());
            return new byte[0];
        };
        GuestModule m = GuestModule.compile("abi-driver", GuestTest.guest("abi-driver"), EngineOptions.DEFAULT);
        try (Guest g = Guest.instantiate(m, GuestLinks.builder().family(Family.HTTP, http).build(), Duration.ofSeconds(10))) {
            self.set(g);
            Duration timeout = Duration.ofSeconds(20);
            g.call("invoke", invoke(AbiFunction.HTTP_REQUEST, new byte[] {'x'}), Invocation.Caller.NONE, timeout);
            assertThat(seen.get().export()).isEqualTo("invoke");
            assertThat(seen.get().deadlineNanos()).isPresent();
            assertThat(seen.get().remaining()).hasValueSatisfying(left -> assertThat(left).isPositive().isLessThanOrEqualTo(timeout));

            g.call("invoke", invoke(AbiFunction.HTTP_REQUEST, new byte[] {'x'}), Invocation.Caller.NONE, Duration.ZERO);
            assertThat(seen.get().deadlineNanos()).isEmpty();
            assertThat(seen.get().remaining()).isEmpty();
        }
    }
}
