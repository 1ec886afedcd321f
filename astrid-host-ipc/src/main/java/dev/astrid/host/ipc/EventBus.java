package dev.astrid.host.ipc;

import java.util.UUID;

/**
 * The host's event bus as Java code sees it: the same bus capsules reach through
 * {@code astrid_ipc_publish} and {@code astrid_ipc_subscribe}.
 *
 * <p>Java callers are trusted: no capability check and no rate limit apply. Topic validity, the
 * JSON rule and the payload mapping are the same as for capsules, so a message published here looks
 * exactly like one a capsule published.
 */
public interface EventBus {

    /** The queue capacity of a subscription when none is given. */
    int DEFAULT_QUEUE_CAPACITY = 1024;

    /**
     * Publishes a message. Never blocks: a subscriber that falls behind loses its oldest messages.
     *
     * @param topic dot-separated, non-empty segments
     * @param jsonPayload a JSON document of at most 5 MiB (UTF-8); wrapped as
     *     {@code {"type":"custom","data":...}} unless it carries a known {@code type} tag
     * @param sourceId the publisher's id, the {@code source_id} subscribers see
     * @return the message as subscribers receive it
     * @throws IllegalArgumentException if the topic or the payload is invalid
     * @throws IllegalStateException if the bus is closed, or its {@link BusTransport} could not send the message
     */
    BusMessage publish(String topic, String jsonPayload, UUID sourceId);

    /**
     * Subscribes with the default capacity ({@value #DEFAULT_QUEUE_CAPACITY} messages).
     *
     * @param pattern a topic pattern: {@code *} stands for one segment, and a trailing {@code .*}
     *     also takes every deeper topic under the prefix
     * @throws IllegalArgumentException if the pattern has an empty segment
     * @throws IllegalStateException if the bus is closed
     */
    default Subscription subscribe(String pattern) {
        return subscribe(pattern, DEFAULT_QUEUE_CAPACITY);
    }

    /**
     * Subscribes with a queue of a given capacity.
     *
     * @throws IllegalArgumentException if the pattern is invalid or the capacity is not positive
     * @throws IllegalStateException if the bus is closed
     */
    Subscription subscribe(String pattern, int capacity);
}
