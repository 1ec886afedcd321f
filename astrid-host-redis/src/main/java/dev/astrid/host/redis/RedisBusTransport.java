package dev.astrid.host.redis;

import dev.astrid.host.ipc.BusTransport;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The event bus between hosts on Redis Pub/Sub: every frame is one {@code PUBLISH} on the channel
 * {@code <prefix>:bus}, and a thread of this transport holds one subscribed connection and hands
 * what arrives to the bus. Pub/Sub delivers at most once: a host whose subscriber connection is
 * down (Redis restarting, a network break) misses what was published meanwhile; the thread
 * reconnects, waiting {@value #RETRY_MS} ms between attempts.
 */
public final class RedisBusTransport implements BusTransport {
    private static final System.Logger LOG = System.getLogger(RedisBusTransport.class.getName());
    /** The wait between reconnection attempts of the subscriber. */
    static final long RETRY_MS = 200;

    private final RedisSettings settings;
    private final byte[] channel;
    private final RedisClient publisher;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final CountDownLatch firstSubscribed = new CountDownLatch(1);
    private final Object lock = new Object();
    private Jedis subscriberConnection;
    private BinaryJedisPubSub subscriber;
    private Thread thread;

    /** A transport on a server; nothing is connected before {@link #start}. */
    public RedisBusTransport(RedisSettings settings) {
        this.settings = settings;
        this.channel = settings.key("bus");
        this.publisher = settings.client();
    }

    /**
     * Starts the subscriber thread and waits up to the command deadline for its first subscription,
     * so that a host that starts while Redis is up misses nothing published after it started. When
     * Redis is down, the thread keeps trying in the background.
     */
    @Override
    public void start(Consumer<byte[]> receiver) {
        synchronized (lock) {
            thread = new Thread(() -> subscribeLoop(receiver), "astrid-redis-bus");
            thread.setDaemon(true);
            thread.start();
        }
        try {
            if (!firstSubscribed.await(settings.timeoutMs(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "the event bus is not yet subscribed on Redis at " + settings.where()
                        + "; retrying in the background");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void subscribeLoop(Consumer<byte[]> receiver) {
        boolean failedBefore = false;
        while (closed.getCount() > 0) {
            BinaryJedisPubSub sub = new BinaryJedisPubSub() {
                @Override
                public void onMessage(byte[] ch, byte[] message) {
                    receiver.accept(message);
                }

                @Override
                public void onSubscribe(byte[] ch, int count) {
                    firstSubscribed.countDown();
                }
            };
            try (Jedis connection = settings.subscriberConnection()) {
                synchronized (lock) {
                    if (closed.getCount() == 0) {
                        return;
                    }
                    subscriberConnection = connection;
                    subscriber = sub;
                }
                if (failedBefore) {
                    LOG.log(System.Logger.Level.INFO, "event bus: reconnected to Redis at " + settings.where());
                    failedBefore = false;
                }
                connection.subscribe(sub, channel);
            } catch (JedisException e) {
                if (closed.getCount() == 0) {
                    return;
                }
                if (!failedBefore) {
                    LOG.log(System.Logger.Level.WARNING, "event bus: lost Redis at " + settings.where() + ": "
                            + RedisErrors.reason(e) + "; messages published by other hosts until it is back are missed here");
                    failedBefore = true;
                }
            } catch (RuntimeException e) {
                // A failing receiver must not end the subscription; the bus logs its own failures.
                LOG.log(System.Logger.Level.ERROR, "event bus: receiving from Redis failed", e);
            } finally {
                synchronized (lock) {
                    subscriberConnection = null;
                    subscriber = null;
                }
            }
            try {
                if (closed.await(RETRY_MS, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Whether the subscriber is connected and subscribed now (for tests and diagnostics). */
    public boolean isSubscribed() {
        synchronized (lock) {
            return subscriber != null && subscriber.isSubscribed();
        }
    }

    @Override
    public void send(byte[] frame) {
        try {
            publisher.publish(channel, frame);
        } catch (JedisException e) {
            throw new IllegalStateException("the event bus could not publish on Redis at " + settings.where() + ": "
                    + RedisErrors.reason(e), e);
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (lock) {
            closed.countDown();
            if (subscriber != null && subscriber.isSubscribed()) {
                try {
                    subscriber.unsubscribe();
                } catch (JedisException e) {
                    // The connection is going away anyway.
                }
            }
            if (subscriberConnection != null) {
                subscriberConnection.disconnect();
            }
            t = thread;
        }
        if (t != null) {
            try {
                t.join(settings.timeoutMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        publisher.close();
    }
}
