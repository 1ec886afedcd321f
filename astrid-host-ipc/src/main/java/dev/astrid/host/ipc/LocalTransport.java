package dev.astrid.host.ipc;

import java.util.function.Consumer;

/** The transport of a host alone: stateless, so one instance serves every bus. */
final class LocalTransport implements BusTransport {
    static final LocalTransport INSTANCE = new LocalTransport();

    private LocalTransport() {}

    @Override
    public boolean isLocal() {
        return true;
    }

    @Override
    public void start(Consumer<byte[]> receiver) {
        // Nothing ever arrives from elsewhere.
    }

    @Override
    public void send(byte[] frame) {
        // Nobody else to send to.
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
