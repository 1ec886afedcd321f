package dev.astrid.sys.abi;

/** The network family: Unix domain sockets carrying length-prefixed frames. */
public interface NetFunctions {
    /** {@code astrid_net_bind_unix}: binds a listener; returns its handle. */
    byte[] netBindUnix(byte[] path);

    /** {@code astrid_net_accept}: waits for a connection on a listener; returns a stream handle. */
    byte[] netAccept(byte[] listenerHandle);

    /** {@code astrid_net_read}: the next frame from a stream, or empty when none is ready. */
    byte[] netRead(byte[] streamHandle);

    /** {@code astrid_net_write}: writes one frame to a stream. */
    void netWrite(byte[] streamHandle, byte[] data);

    /** {@code astrid_net_close_stream}: closes a stream and frees its host resources. */
    void netCloseStream(byte[] streamHandle);

    /** {@code astrid_net_poll_accept}: a stream handle if a connection is pending, else empty. */
    byte[] netPollAccept(byte[] listenerHandle);
}
