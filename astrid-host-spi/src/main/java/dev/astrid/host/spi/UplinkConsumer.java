package dev.astrid.host.spi;

/**
 * Receives what capsules send through their direct uplinks ({@code astrid_uplink_send}).
 *
 * <p>The host owns one consumer (the command line prints messages; an embedding application
 * installs its own). A consumer must not block: it accepts a message or refuses it at once.
 *
 * <p>It is part of the SPI rather than of the ipc family because it crosses from the host to the
 * family: an application sets it on the host's configuration and the host passes it on through
 * {@link CapsuleContext#uplinkConsumer()}, and the host depends on no family at compile time.
 */
@FunctionalInterface
public interface UplinkConsumer {

    /** A consumer that accepts nothing: every send is reported as dropped. */
    UplinkConsumer NONE = message -> false;

    /**
     * Offers one message.
     *
     * @return true if the message was taken, false if it was dropped (no reader, or full)
     */
    boolean offer(UplinkMessage message);
}
