package dev.astrid.host.ipc.internal;

/**
 * Something on the bus that may receive messages: a subscription queue or an interceptor
 * dispatcher. The bus only narrows the candidates with {@link #routeKey()}; each recipient decides
 * itself whether a message matches.
 */
public interface Recipient {

    /** Where the bus files this recipient; fixed for its lifetime. */
    RouteKey routeKey();

    /**
     * Offers a message on the publisher's thread. Must never block for long and never throw: a
     * publisher does not wait for, nor fail because of, a subscriber.
     */
    void offer(Posted message);
}
