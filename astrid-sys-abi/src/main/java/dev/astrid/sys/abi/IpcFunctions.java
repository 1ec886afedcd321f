package dev.astrid.sys.abi;

/** The IPC family: the host's event bus, direct uplinks, interceptor handles and readiness. */
public interface IpcFunctions {
    /** {@code astrid_ipc_publish}: publishes a JSON payload on a dot-separated topic. */
    void ipcPublish(byte[] topic, byte[] payload);

    /** {@code astrid_ipc_subscribe}: subscribes to a topic pattern; returns the decimal handle. */
    byte[] ipcSubscribe(byte[] topic);

    /** {@code astrid_ipc_unsubscribe}: drops a subscription the capsule made itself. */
    void ipcUnsubscribe(byte[] handle);

    /** {@code astrid_ipc_poll}: drains what is queued on a subscription, without waiting. */
    byte[] ipcPoll(byte[] handle);

    /** {@code astrid_ipc_recv}: waits up to a decimal number of milliseconds for a message. */
    byte[] ipcRecv(byte[] handle, byte[] timeoutMs);

    /** {@code astrid_uplink_register}: registers a direct uplink; returns its id. */
    byte[] uplinkRegister(byte[] name, byte[] platform, byte[] profile);

    /** {@code astrid_uplink_send}: sends content to a platform user through an uplink. */
    byte[] uplinkSend(byte[] uplinkId, byte[] platformUserId, byte[] content);

    /** {@code astrid_signal_ready}: tells the host that the capsule's run loop is listening. */
    void signalReady();

    /** {@code astrid_get_interceptor_handles}: JSON list of the auto-subscribed interceptors. */
    byte[] getInterceptorHandles();
}
