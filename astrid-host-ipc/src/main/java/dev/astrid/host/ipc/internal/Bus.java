package dev.astrid.host.ipc.internal;

import dev.astrid.host.spi.GuestText;
import dev.astrid.host.ipc.BusMessage;
import dev.astrid.host.ipc.BusTransport;
import dev.astrid.host.ipc.EventBus;
import dev.astrid.host.ipc.Subscription;
import dev.astrid.host.spi.security.TopicPatterns;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The event bus of one host. Publishing takes no lock: it stamps a sequence number and hands the
 * message to the candidates of an immutable {@link Routes} index. Subscribing and unsubscribing
 * (rare) rebuild the index under the bus's lock.
 *
 * <p>Under a {@link BusTransport} that reaches other hosts, a message is sent to them first (a
 * failed send fails the publish) and then offered here; messages from other hosts are offered
 * here as they arrive, numbered by this host's sequence.
 */
public final class Bus implements EventBus {

    /** The largest payload the bus carries (more is "Payload too large", docs/families/ipc.md). */
    public static final int MAX_PAYLOAD = 5 * 1024 * 1024;

    /** The default bound on the payload bytes one subscription queue holds. */
    public static final long DEFAULT_QUEUE_MAX_BYTES = 64L * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(Bus.class.getName());

    private final Clock clock;
    private final BusTransport transport;
    /** This host's id in frames, to skip its own frames when a transport hands them back. */
    private final UUID hostId = UUID.randomUUID();
    private final AtomicLong sequence = new AtomicLong();
    private final EntryText entryText = new EntryText();
    private final Object membership = new Object();
    private final Set<Recipient> recipients = new LinkedHashSet<>();
    private volatile Routes routes = Routes.EMPTY;
    private volatile boolean closed;

    /** A bus whose Java publishers are stamped with this clock. */
    public Bus(Clock clock) {
        this(clock, BusTransport.local());
    }

    /** A bus that reaches other hosts through a transport, which it starts now and closes with itself. */
    public Bus(Clock clock, BusTransport transport) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.transport = Objects.requireNonNull(transport, "transport");
        transport.start(this::receive);
    }

    /**
     * Puts a mapped, validated message on the bus.
     *
     * @throws IllegalStateException if the bus is closed, or the transport could not send the message
     */
    public Posted post(String topic, MappedPayload payload, UUID sourceId, Instant timestamp) {
        if (closed) {
            throw new IllegalStateException("the event bus is closed");
        }
        if (!transport.isLocal()) {
            transport.send(Frame.encode(hostId, topic, payload, sourceId, timestamp));
        }
        return deliver(topic, payload, sourceId, timestamp);
    }

    /** A frame from the transport: another host's message is offered here, this host's own skipped. */
    private void receive(byte[] bytes) {
        Frame frame;
        try {
            frame = Frame.decode(bytes);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "dropped a malformed frame of " + bytes.length + " bytes from the bus transport: "
                    + e.getMessage());
            return;
        }
        if (closed || frame.host.equals(hostId)) {
            return;
        }
        deliver(frame.topic, frame.payload, frame.sourceId, frame.timestamp);
    }

    private Posted deliver(String topic, MappedPayload payload, UUID sourceId, Instant timestamp) {
        Posted message = new Posted(sequence.incrementAndGet(), topic, payload, sourceId, timestamp, entryText);
        routes.offer(message);
        return message;
    }

    /** Creates a subscription queue with no capsule budget and puts it on the bus. */
    SubscriptionQueue subscribeQueue(String pattern, int capacity, long maxBytes) {
        return subscribeQueue(pattern, capacity, maxBytes, ByteBudget.UNLIMITED);
    }

    /** Creates a subscription queue that draws on a capsule's byte budget and puts it on the bus. */
    SubscriptionQueue subscribeQueue(String pattern, int capacity, long maxBytes, ByteBudget budget) {
        SubscriptionQueue queue = new SubscriptionQueue(this, pattern, capacity, maxBytes, budget);
        add(queue);
        return queue;
    }

    /**
     * Adds a recipient.
     *
     * @throws IllegalStateException if the bus is closed
     */
    void add(Recipient recipient) {
        synchronized (membership) {
            if (closed) {
                throw new IllegalStateException("the event bus is closed");
            }
            if (recipients.add(recipient)) {
                routes = Routes.of(recipients);
            }
        }
    }

    /** Removes a recipient; nothing happens if it is not on the bus. */
    void remove(Recipient recipient) {
        removeAll(List.of(recipient));
    }

    /** Removes several recipients with one rebuild of the index. */
    void removeAll(Collection<? extends Recipient> gone) {
        synchronized (membership) {
            if (recipients.removeAll(gone)) {
                routes = Routes.of(recipients);
            }
        }
    }

    /** How many recipients are on the bus (for tests and diagnostics). */
    int recipientCount() {
        synchronized (membership) {
            return recipients.size();
        }
    }

    @Override
    public BusMessage publish(String topic, String jsonPayload, UUID sourceId) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(jsonPayload, "jsonPayload");
        Objects.requireNonNull(sourceId, "sourceId");
        if (!TopicPatterns.hasValidSegments(topic)) {
            throw new IllegalArgumentException("invalid topic '" + topic + "': empty, or an empty segment");
        }
        long size = GuestText.encodedLength(jsonPayload);
        if (size > MAX_PAYLOAD) {
            throw new IllegalArgumentException("Payload too large: " + size + " bytes exceeds the limit of "
                    + MAX_PAYLOAD + " bytes");
        }
        MappedPayload payload = PayloadMapper.map(jsonPayload);
        return post(topic, payload, sourceId, clock.instant()).toBusMessage();
    }

    @Override
    public Subscription subscribe(String pattern, int capacity) {
        Objects.requireNonNull(pattern, "pattern");
        if (!TopicPatterns.hasValidSegments(pattern)) {
            throw new IllegalArgumentException("invalid pattern '" + pattern + "': empty, or an empty segment");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        return subscribeQueue(pattern, capacity, DEFAULT_QUEUE_MAX_BYTES);
    }

    /** Closes the bus: no more messages or subscriptions; every queue is closed, waiters wake up. */
    public void close() {
        List<Recipient> all;
        synchronized (membership) {
            closed = true;
            all = new ArrayList<>(recipients);
            recipients.clear();
            routes = Routes.EMPTY;
        }
        for (Recipient r : all) {
            if (r instanceof SubscriptionQueue) {
                ((SubscriptionQueue) r).markClosed();
            } else if (r instanceof InterceptorDispatcher) {
                ((InterceptorDispatcher) r).shutdown();
            }
        }
        transport.close();
    }
}
