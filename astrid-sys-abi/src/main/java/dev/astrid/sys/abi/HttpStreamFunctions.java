package dev.astrid.sys.abi;

/**
 * Streaming HTTP, the imports SDK 0.2.2 and later add beside the 48 ({@link ExtensionFunction}).
 * A binding of the {@link Family#HTTP} family serves them when it implements this interface too.
 */
public interface HttpStreamFunctions {
    /**
     * {@code astrid_http_stream_start}: sends a request described in JSON (as
     * {@code astrid_http_request}) and returns once the response headers are in:
     * {@code {"handle":"<decimal>","status":..,"headers":{..}}}.
     */
    byte[] httpStreamStart(byte[] requestBytes);

    /** {@code astrid_http_stream_read}: the next piece of the body; empty at its end. */
    byte[] httpStreamRead(byte[] handle);

    /** {@code astrid_http_stream_close}: ends a stream; a handle that is not open is no error. */
    void httpStreamClose(byte[] handle);
}
