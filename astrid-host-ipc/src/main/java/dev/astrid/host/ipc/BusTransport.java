package dev.astrid.host.ipc;

import java.util.function.Consumer;

/**
 * What carries the event bus between hosts: the narrow interface under the bus. The bus keeps
 * the envelope, capabilities, topic matching, payload mapping and the bounded queues; a transport
 * only moves opaque frames (one per published message) to the other hosts sharing it.
 *
 * <p>A host publishes by sending the frame first and then delivering the message to its own
 * subscribers, so a failed send fails the publish and nobody sees the message. A transport may
 * hand a host its own frames back; the bus recognises and skips them.
 */
public interface BusTransport extends AutoCloseable {

    /** The transport of a host alone: nothing leaves the process. */
    static BusTransport local() {
        return LocalTransport.INSTANCE;
    }

    /** Whether this transport carries nothing (the bus then skips encoding frames). */
    default boolean isLocal() {
        return false;
    }

    /**
     * Starts handing the frames other hosts sent to a receiver, on a thread of the transport's own,
     * one frame at a time in the order the transport received them. Called once, by the bus.
     */
    void start(Consumer<byte[]> receiver);

    /**
     * Sends one frame to every other host, within the transport's own deadline.
     *
     * @throws IllegalStateException with a plain reason when the frame could not be sent
     */
    void send(byte[] frame);

    /** Stops receiving and releases the transport's connections. */
    @Override
    void close();
}
