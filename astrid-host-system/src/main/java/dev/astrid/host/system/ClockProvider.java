package dev.astrid.host.system;

import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.HostProvider;
import dev.astrid.sys.abi.ClockFunctions;
import dev.astrid.sys.abi.Family;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** {@code astrid_clock_ms}: decimal milliseconds since the epoch from the capsule's clock, 0 before it. */
public final class ClockProvider implements HostProvider {
    @Override
    public String name() {
        return "astrid-reference-clock";
    }

    @Override
    public Family family() {
        return Family.CLOCK;
    }

    @Override
    public Object bind(CapsuleContext capsule) {
        Clock clock = capsule.clock();
        return (ClockFunctions) () -> Long.toString(Math.max(0, clock.millis())).getBytes(StandardCharsets.US_ASCII);
    }
}
