package dev.astrid.host.ipc;

import java.time.Instant;
import java.util.UUID;

/**
 * One message on the event bus.
 *
 * @param seq the bus sequence number: unique, and increasing in the order messages were accepted
 * @param topic the topic it was published on
 * @param payloadJson the payload as subscribers see it, after mapping (compact JSON)
 * @param sourceId the publisher: a capsule's session id, or the id a Java publisher gave
 * @param timestamp when it was published
 */
public record BusMessage(long seq, String topic, String payloadJson, UUID sourceId, Instant timestamp) {}
