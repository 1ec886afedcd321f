package dev.astrid.host.spi;

import dev.astrid.host.spi.manifest.CapsuleManifest;
import java.time.Duration;
import java.util.UUID;

/**
 * A loaded capsule as other parts of the host see it: enough to call it back, nothing more.
 *
 * <p>Calls into one capsule are serialized. Calling a capsule from a host function that the same
 * capsule is running would wait for itself, so it fails at once with a {@link GuestCallException}.
 */
public interface CapsuleHandle {

    /** The capsule's id. */
    String id();

    /** The id of this load (see {@link CapsuleContext#sessionId()}). */
    UUID sessionId();

    /** The capsule's manifest. */
    CapsuleManifest manifest();

    /** Whether the capsule's module exports a function of that name. */
    boolean hasExport(String export);

    /** Whether the capsule is still loaded. */
    boolean isLoaded();

    /** Whether the capsule has signalled that its run loop is ready. */
    boolean isReady();

    /**
     * Calls an export with an input and waits for its output.
     *
     * @param caller who the call is made for; {@link Invocation.Caller#NONE} when nobody in particular
     * @param timeout how long the guest may run; {@link Duration#ZERO} for no limit
     * @throws GuestCallException if the guest fails, traps, times out or is unloaded
     */
    byte[] call(String export, byte[] input, Invocation.Caller caller, Duration timeout);
}
