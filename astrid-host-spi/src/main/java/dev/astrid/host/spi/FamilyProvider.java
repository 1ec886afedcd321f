package dev.astrid.host.spi;

import dev.astrid.sys.abi.Family;

/**
 * A {@link HostProvider} whose family and result type the compiler checks: it names its family
 * with a {@link TypedFamily} constant of the same type parameter, and {@link #bind} returns that
 * family's interface. A provider that binds the wrong interface, or claims a family whose
 * interface it does not return, does not compile.
 *
 * <pre>{@code
 * public final class FrozenClock implements FamilyProvider<ClockFunctions> {
 *     public String name() { return "frozen-clock"; }
 *     public TypedFamily<ClockFunctions> typedFamily() { return TypedFamily.CLOCK; }
 *     public ClockFunctions bind(CapsuleContext capsule) { return () -> "0".getBytes(StandardCharsets.US_ASCII); }
 * }
 * }</pre>
 *
 * @param <T> the family's interface
 */
public interface FamilyProvider<T> extends HostProvider {

    /** The family this provider supplies, with its interface as a type. */
    TypedFamily<T> typedFamily();

    @Override
    default Family family() {
        return typedFamily().family();
    }

    /**
     * Binds the family for one capsule.
     *
     * @return the family's interface serving only that capsule (also {@link AutoCloseable} when it
     *     holds something to release at unload)
     * @throws HostException when the capsule cannot be served; the load fails with that message
     */
    @Override
    T bind(CapsuleContext capsule);
}
