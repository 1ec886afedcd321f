package dev.astrid.host.ipc.internal;

import dev.astrid.host.spi.GuestText;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.host.spi.manifest.CapsuleManifest.Interceptor;
import dev.astrid.host.spi.security.TopicPatterns;
import dev.astrid.sys.abi.IpcFunctions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The IPC family as one capsule sees it: bytes in, bytes out, with the checks, limits and messages
 * of docs/families/ipc.md. Closing it (at unload) takes the capsule off the bus.
 */
public final class CapsuleIpc implements IpcFunctions, AutoCloseable {
    static final int MAX_TOPIC_BYTES = PayloadLimits.MAX_TOPIC;
    static final int MAX_SEGMENTS = 8;
    static final int MAX_SUBSCRIPTIONS = 128;
    static final int MAX_INTERCEPTORS = 64;
    static final long MAX_RECV_MILLIS = 60_000;

    /** A topic as published and its decoded text. */
    private record Topic(byte[] bytes, String text) {}

    /** One live subscription handle. */
    private record Handle(long id, SubscriptionQueue queue, boolean interceptor) {}

    private final CapsuleContext ctx;
    private final Bus bus;
    private final IpcSettings settings;
    private final RateLimiter rateLimiter;
    private final TopicAcl publishAcl;
    private final TopicAcl subscribeAcl;
    private final Uplinks uplinks;
    private final InterceptorDispatcher hooks;
    private final byte[] interceptorHandles;
    private final Map<Long, Handle> handles = new ConcurrentHashMap<>();
    /** Guards handle creation, removal and close against each other; never held while waiting. */
    private final Object lifecycle = new Object();
    private long nextHandle;
    private volatile boolean closed;
    /** Payload bytes all of this capsule's queues may hold together. */
    private final ByteBudget queueBudget;
    /** The topic of the last publish: a capsule tends to publish on one topic over and over. */
    private volatile Topic lastTopic;

    private CapsuleIpc(CapsuleContext ctx, Bus bus, IpcSettings settings) {
        this.ctx = ctx;
        this.bus = bus;
        this.settings = settings;
        this.rateLimiter = new RateLimiter(ctx.clock());
        this.publishAcl = new TopicAcl(ctx.capabilities().ipcPublish());
        this.subscribeAcl = new TopicAcl(ctx.capabilities().ipcSubscribe());
        this.uplinks = new Uplinks(ctx);
        this.queueBudget = new ByteBudget(settings.capsuleMaxBytes());

        List<Interceptor> interceptors = ctx.manifest().interceptors();
        for (Interceptor i : interceptors) {
            if (!TopicPatterns.hasValidSegments(i.event())) {
                throw new HostException("capsule " + ctx.capsuleId() + ": interceptor event '" + i.event()
                        + "' (action '" + i.action() + "') is not a valid topic pattern");
            }
            // An interceptor sees what a subscription would: its event must pass the subscribe ACL.
            if (!subscribeAcl.permits(i.event())) {
                throw new HostException("capsule " + ctx.capsuleId() + ": interceptor '" + i.action() + "' on event '"
                        + i.event() + "' needs an ipc_subscribe capability that covers '" + i.event() + "': "
                        + aclText("ipc_subscribe", subscribeAcl));
            }
        }
        JsonArray listed = new JsonArray();
        InterceptorDispatcher dispatcher = null;
        long next = 1;
        if (ctx.self().hasExport("run")) {
            // A run loop reads its interceptors itself: handles 1..N in manifest order (docs/families/ipc.md, "Interceptors").
            if (interceptors.size() > MAX_INTERCEPTORS) {
                throw new HostException("capsule " + ctx.capsuleId() + " declares " + interceptors.size()
                        + " interceptors; a capsule with a run loop may have at most " + MAX_INTERCEPTORS);
            }
            try {
                for (Interceptor i : interceptors) {
                    long id = next++;
                    SubscriptionQueue queue = bus.subscribeQueue(i.event(), settings.queueCapacity(),
                            settings.queueMaxBytes(), queueBudget);
                    handles.put(id, new Handle(id, queue, true));
                    JsonObject entry = new JsonObject();
                    entry.addProperty("handle_id", id);
                    entry.addProperty("action", i.action());
                    entry.addProperty("topic", i.event());
                    listed.add(entry);
                }
            } catch (IllegalStateException e) {
                closeQueues();
                throw new HostException("capsule " + ctx.capsuleId() + ": " + e.getMessage(), e);
            }
        } else if (!interceptors.isEmpty()) {
            dispatcher = new InterceptorDispatcher(ctx.self(), interceptors, settings, queueBudget, ctx.logger());
            try {
                bus.add(dispatcher);
            } catch (IllegalStateException e) {
                dispatcher.shutdown();
                throw new HostException("capsule " + ctx.capsuleId() + ": " + e.getMessage(), e);
            }
        }
        this.hooks = dispatcher;
        this.nextHandle = next;
        this.interceptorHandles = GuestText.encode(listed.toString());
    }

    /**
     * Binds the family for one capsule: reads the settings and subscribes the interceptors.
     *
     * @throws HostException when a setting or an interceptor is invalid, or there are too many
     */
    public static CapsuleIpc bind(CapsuleContext ctx, Bus bus) {
        return new CapsuleIpc(ctx, bus, IpcSettings.from(ctx.settings()));
    }

    // ---- publish / subscribe ----------------------------------------------------------------

    @Override
    public void ipcPublish(byte[] topic, byte[] payload) {
        ensureOpen();
        if (topic.length > MAX_TOPIC_BYTES) {
            throw new HostException("Topic exceeds maximum allowed length (" + MAX_TOPIC_BYTES + " bytes)");
        }
        rateLimiter.acquire(payload.length);
        String t = publishedTopic(topic);
        requireShape(t, "topic");
        if (!publishAcl.permits(t)) {
            throw new HostException("capsule " + ctx.capsuleId() + " may not publish on '" + t + "': "
                    + aclText("ipc_publish", publishAcl));
        }
        PayloadLimits.requireAtMost(payload, PayloadLimits.MAX_GUEST_PAYLOAD);
        MappedPayload mapped;
        try {
            mapped = PayloadMapper.map(payload);
        } catch (IllegalArgumentException e) {
            throw new HostException(e.getMessage());
        } catch (CancellationException e) {
            // The host cancels an over-long call by interrupting its thread: stop now, keep the flag.
            throw new HostException("call interrupted while reading the payload for '" + t + "'", e);
        }
        try {
            bus.post(t, mapped, ctx.sessionId(), ctx.clock().instant());
        } catch (IllegalStateException e) {
            throw new HostException(e.getMessage(), e);
        }
    }

    @Override
    public byte[] ipcSubscribe(byte[] topic) {
        ensureOpen();
        if (topic.length > MAX_TOPIC_BYTES) {
            throw new HostException("Topic exceeds maximum allowed length (" + MAX_TOPIC_BYTES + " bytes)");
        }
        String pattern = decodeTopic(topic);
        if (!TopicPatterns.hasValidSegments(pattern)) {
            throw new HostException("invalid pattern '" + pattern + "': empty, or an empty segment");
        }
        String[] segments = pattern.split("\\.", -1);
        for (int i = 0; i < segments.length - 1; i++) {
            if (segments[i].equals("*")) {
                throw new HostException("invalid pattern '" + pattern + "': '*' is only allowed as the last segment");
            }
        }
        if (segments.length > MAX_SEGMENTS) {
            throw new HostException("invalid pattern '" + pattern + "': " + segments.length
                    + " segments, at most " + MAX_SEGMENTS + " allowed");
        }
        if (!subscribeAcl.permits(pattern)) {
            throw new HostException("capsule " + ctx.capsuleId() + " may not subscribe to '" + pattern + "': "
                    + aclText("ipc_subscribe", subscribeAcl));
        }
        synchronized (lifecycle) {
            ensureOpen();
            if (handles.size() >= MAX_SUBSCRIPTIONS) {
                throw new HostException("Subscription limit reached: a capsule may hold at most " + MAX_SUBSCRIPTIONS
                        + " subscriptions, interceptors included");
            }
            long id = nextHandle++;
            if (handles.containsKey(id)) {
                throw new HostException("Subscription handle collision: " + Long.toUnsignedString(id));
            }
            SubscriptionQueue queue;
            try {
                queue = bus.subscribeQueue(pattern, settings.queueCapacity(), settings.queueMaxBytes(), queueBudget);
            } catch (IllegalStateException e) {
                throw new HostException(e.getMessage(), e);
            }
            handles.put(id, new Handle(id, queue, false));
            return Decimal.format(id);
        }
    }

    @Override
    public void ipcUnsubscribe(byte[] handle) {
        ensureOpen();
        long id = Decimal.parseU64(handle, "subscription handle");
        Handle h;
        synchronized (lifecycle) {
            h = find(id);
            if (h.interceptor) {
                throw new HostException("Cannot unsubscribe a runtime-owned interceptor handle: "
                        + Long.toUnsignedString(id));
            }
            handles.remove(id);
        }
        h.queue.close();
    }

    @Override
    public byte[] ipcPoll(byte[] handle) {
        ensureOpen();
        Handle h = find(Decimal.parseU64(handle, "subscription handle"));
        return Envelope.encode(h.queue.drain(SubscriptionQueue.DRAIN_BUDGET));
    }

    @Override
    public byte[] ipcRecv(byte[] handle, byte[] timeoutMs) {
        ensureOpen();
        long id = Decimal.parseU64(handle, "subscription handle");
        long millis = Decimal.parseU64(timeoutMs, "timeout");
        // Unsigned: anything above the cap, including values past Long.MAX_VALUE, is the cap.
        if (Long.compareUnsigned(millis, MAX_RECV_MILLIS) > 0) {
            millis = MAX_RECV_MILLIS;
        }
        Handle h = find(id);
        try {
            return Envelope.encode(h.queue.await(TimeUnit.MILLISECONDS.toNanos(millis), SubscriptionQueue.DRAIN_BUDGET));
        } catch (InterruptedException e) {
            // The host cancels a guest call by interrupting its thread: stop now, keep the flag for the host.
            Thread.currentThread().interrupt();
            throw new HostException("call interrupted while waiting on subscription " + Long.toUnsignedString(id), e);
        }
    }

    // ---- uplinks, interceptors, readiness ----------------------------------------------------

    @Override
    public byte[] uplinkRegister(byte[] name, byte[] platform, byte[] profile) {
        ensureOpen();
        return uplinks.register(name, platform, profile);
    }

    @Override
    public byte[] uplinkSend(byte[] uplinkId, byte[] platformUserId, byte[] content) {
        ensureOpen();
        return uplinks.send(uplinkId, platformUserId, content);
    }

    @Override
    public void signalReady() {
        ensureOpen();
        ctx.markReady();
    }

    @Override
    public byte[] getInterceptorHandles() {
        ensureOpen();
        return interceptorHandles.clone();
    }

    // ---- unload ------------------------------------------------------------------------------

    /**
     * Takes the capsule off the bus: every subscription goes, a waiting recv wakes up with what was
     * already queued, the interceptor worker stops. Later calls fail. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closeQueues();
        if (hooks != null) {
            bus.remove(hooks);
            hooks.shutdown();
        }
    }

    private void closeQueues() {
        List<SubscriptionQueue> queues = new ArrayList<>();
        for (Handle h : handles.values()) {
            queues.add(h.queue);
        }
        handles.clear();
        bus.removeAll(queues);
        for (SubscriptionQueue q : queues) {
            q.markClosed();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** The interceptor dispatcher, or null for a capsule with a run loop or no interceptors (for tests). */
    InterceptorDispatcher hooks() {
        return hooks;
    }

    /** The byte budget all of this capsule's queues and its hook backlog share (for tests). */
    ByteBudget budget() {
        return queueBudget;
    }

    private void ensureOpen() {
        if (closed) {
            throw new HostException("capsule " + ctx.capsuleId() + " is unloaded: its IPC binding is closed");
        }
    }

    private Handle find(long id) {
        Handle h = handles.get(id);
        if (h == null) {
            throw new HostException("Subscription handle not found: " + Long.toUnsignedString(id));
        }
        return h;
    }

    /**
     * The topic's text, decoded once for a run of publishes on the same bytes (a decode is a
     * function of the bytes, so this saves only work; the shape and ACL checks still run each time).
     */
    private String publishedTopic(byte[] topic) {
        Topic last = lastTopic;
        if (last != null && Arrays.equals(last.bytes, topic)) {
            return last.text;
        }
        String t = decodeTopic(topic);
        lastTopic = new Topic(topic.clone(), t);
        return t;
    }

    private static String decodeTopic(byte[] topic) {
        try {
            return GuestText.decodeStrict(topic);
        } catch (IllegalArgumentException e) {
            throw new HostException("topic is not valid UTF-8");
        }
    }

    private static void requireShape(String topic, String what) {
        if (!TopicPatterns.hasValidSegments(topic)) {
            throw new HostException("invalid " + what + " '" + topic + "': empty, or an empty segment");
        }
        int n = TopicPatterns.segmentCount(topic);
        if (n > MAX_SEGMENTS) {
            throw new HostException("invalid " + what + " '" + topic + "': " + n + " segments, at most "
                    + MAX_SEGMENTS + " allowed");
        }
    }

    private static String aclText(String capability, TopicAcl acl) {
        return acl.patterns().isEmpty() ? "the capsule declares no " + capability + " capability"
                : "no " + capability + " pattern matches (" + capability + " = " + acl.patterns() + ")";
    }
}
