package dev.astrid.host.ipc.internal;

import java.util.List;

/**
 * What one drain of a subscription queue took.
 *
 * @param messages the messages, oldest first
 * @param dropped 1 when a message was discarded because it did not fit the drain budget, else 0
 * @param lagged messages lost to overflow since the previous drain
 */
public record Drained(List<Posted> messages, long dropped, long lagged) {

    /** Nothing at all. */
    public static final Drained EMPTY = new Drained(List.of(), 0, 0);
}
