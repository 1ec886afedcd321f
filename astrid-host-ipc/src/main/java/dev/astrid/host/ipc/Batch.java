package dev.astrid.host.ipc;

import java.util.List;

/**
 * What one {@link Subscription#poll()} or {@link Subscription#recv} took.
 *
 * @param messages the messages, oldest first
 * @param lagged how many messages this subscription lost to overflow since the previous batch
 */
public record Batch(List<BusMessage> messages, long lagged) {

    /** Copies the messages into an immutable list. */
    public Batch {
        messages = List.copyOf(messages);
    }

    /** Whether the batch has no message. */
    public boolean isEmpty() {
        return messages.isEmpty();
    }
}
