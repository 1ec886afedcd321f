package dev.astrid.host.spi.http;

import java.net.http.HttpResponse;

/** A response body subscriber that can stop reading, which closes the connection. */
interface CancellableBody<T> extends HttpResponse.BodySubscriber<T> {
    /** Stops reading; safe from any thread, at any time, more than once. */
    void cancel();
}
