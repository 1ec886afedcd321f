/**
 * The IPC family: one event bus per host shared by every loaded capsule, bounded subscription
 * queues, interceptor delivery, direct uplinks and run-loop readiness.
 *
 * <p>{@code requires transitive} on the SPI because {@link dev.astrid.host.ipc.IpcProvider}, part
 * of the exported API, is a {@code HostProvider}. Gson stays an implementation detail.
 */
module dev.astrid.host.ipc {
    requires transitive dev.astrid.host.spi;
    requires com.google.gson;

    exports dev.astrid.host.ipc;

    provides dev.astrid.host.spi.HostProvider with dev.astrid.host.ipc.IpcProvider;
}
