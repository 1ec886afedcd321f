package dev.astrid.host.system;

import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.FamilyProvider;
import dev.astrid.host.spi.TypedFamily;
import dev.astrid.sys.abi.ClockFunctions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** {@code astrid_clock_ms}: decimal milliseconds since the epoch from the capsule's clock, 0 before it. */
public final class ClockProvider implements FamilyProvider<ClockFunctions> {
    @Override
    public String name() {
        return "astrid-reference-clock";
    }

    @Override
    public TypedFamily<ClockFunctions> typedFamily() {
        return TypedFamily.CLOCK;
    }

    @Override
    public ClockFunctions bind(CapsuleContext capsule) {
        Clock clock = capsule.clock();
        return () -> Long.toString(Math.max(0, clock.millis())).getBytes(StandardCharsets.US_ASCII);
    }
}
