package dev.astrid.host.net.internal;

import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.sys.abi.NetFunctions;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The net family as one capsule sees it. Listener and stream handles come from one counter per
 * binding, starting at 1 and never reused, so a handle of the wrong kind, a closed one and one never
 * issued are told apart. Closing the binding (the host does it at unload) closes every stream and
 * listener, removes the socket files and the directories made for them, and ends a waiting accept.
 *
 * <p>Calls into one capsule come one at a time; {@link #close()} may come from any thread.
 */
public final class CapsuleNet implements NetFunctions, AutoCloseable {
    /** The largest frame in either direction: 10 MiB, upstream's bound. */
    public static final int MAX_FRAME = PayloadLimits.MAX_GUEST_PAYLOAD;
    /** How long a read waits for a whole frame before it answers empty: 50 ms, as upstream. */
    public static final Duration READ_WAIT = Duration.ofMillis(50);

    private static final byte[] EMPTY = new byte[0];
    private static final String UNLOADING = "the capsule is unloading";

    private final CapsuleContext ctx;
    private final NetSettings settings;
    private final BindGate gate;
    private final SocketDir dir;
    private final Consumer<CapsuleNet> onClose;
    private final Map<Long, Listener> listeners = new LinkedHashMap<>();
    private final Map<Long, Stream> streams = new LinkedHashMap<>();
    private long nextHandle = 1;
    private boolean closed;

    private CapsuleNet(CapsuleContext ctx, NetSettings settings, Consumer<CapsuleNet> onClose) {
        this.ctx = ctx;
        this.settings = settings;
        this.gate = new BindGate(ctx.capabilities().netBind());
        this.dir = new SocketDir(ctx.capsuleDataDir());
        this.onClose = onClose;
    }

    /**
     * Binds the family for a capsule.
     *
     * @param onClose told once when the binding closes
     * @throws HostException when a setting is malformed
     */
    public static CapsuleNet bind(CapsuleContext ctx, Consumer<CapsuleNet> onClose) {
        return new CapsuleNet(ctx, NetSettings.from(ctx.settings()), onClose);
    }

    /** The directory that holds a capsule's sockets, given its data directory (created at its first bind). */
    public static Path socketDirectory(Path capsuleDataDir) {
        return SocketDir.rootOf(capsuleDataDir);
    }

    // ---- bind --------------------------------------------------------------------------------

    @Override
    public byte[] netBindUnix(byte[] path) {
        SocketNames.Name name = SocketNames.parse(path);
        gate.check(ctx.capsuleId(), name.text());
        Path target = dir.pathOf(name);
        Listener l;
        synchronized (this) {
            ensureOpen();
            for (Listener existing : listeners.values()) {
                if (existing.path.equals(target)) {
                    return Handles.format(existing.id);
                }
            }
            if (listeners.size() >= settings.maxListeners()) {
                throw new HostException("listener limit reached (" + listeners.size() + "/" + settings.maxListeners()
                        + "): a listener stays open until the capsule unloads (setting " + NetSettings.MAX_LISTENERS + ")");
            }
            dir.prepare(name, target);
            try {
                l = Listener.bind(nextHandle, name, target);
            } catch (IOException e) {
                dir.remove(target);
                throw new HostException("cannot bind '" + name.text() + "': " + Reasons.of(e), e);
            }
            nextHandle++;
            listeners.put(l.id, l);
        }
        // The path is the host's business: logged for whoever runs the host, never shown to the guest.
        ctx.logger().log(System.Logger.Level.INFO, "listening on " + target + " (listener " + Handles.text(l.id) + ")");
        return Handles.format(l.id);
    }

    // ---- accept ------------------------------------------------------------------------------

    @Override
    public byte[] netAccept(byte[] listenerHandle) {
        long id = Handles.parse(listenerHandle, "listener");
        Listener l;
        synchronized (this) {
            ensureOpen();
            l = listener(id);
            if (streams.size() >= settings.maxStreams()) {
                throw capReached();
            }
        }
        return adopt(l.await());
    }

    @Override
    public byte[] netPollAccept(byte[] listenerHandle) {
        long id = Handles.parse(listenerHandle, "listener");
        Listener l;
        synchronized (this) {
            ensureOpen();
            l = listener(id);
            if (streams.size() >= settings.maxStreams()) {
                // As upstream: the connection stays queued until a stream is closed.
                return EMPTY;
            }
        }
        SocketChannel c = l.acceptNow();
        return c == null ? EMPTY : adopt(c);
    }

    private HostException capReached() {
        return new HostException("connection cap reached (" + streams.size() + "/" + settings.maxStreams()
                + "): close a stream first (setting " + NetSettings.MAX_STREAMS + ")");
    }

    private byte[] adopt(SocketChannel c) {
        synchronized (this) {
            if (closed || streams.size() >= settings.maxStreams()) {
                close(c);
                throw closed ? new HostException(UNLOADING) : capReached();
            }
            Stream s;
            try {
                s = Stream.open(nextHandle, c, MAX_FRAME);
            } catch (IOException | RuntimeException e) {
                close(c);
                throw new HostException("cannot take the connection: "
                        + (e instanceof IOException ? Reasons.of((IOException) e) : "it could not be set up"), e);
            }
            nextHandle++;
            streams.put(s.id, s);
            return Handles.format(s.id);
        }
    }

    private static void close(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // refusing the connection: nothing left to do with it
        }
    }

    // ---- streams -----------------------------------------------------------------------------

    @Override
    public byte[] netRead(byte[] streamHandle) {
        Stream s = stream(Handles.parse(streamHandle, "stream"));
        try {
            return s.read(READ_WAIT);
        } finally {
            releaseIfDead(s);
        }
    }

    @Override
    public void netWrite(byte[] streamHandle, byte[] data) {
        PayloadLimits.requireAtMost(data, MAX_FRAME);
        Stream s = stream(Handles.parse(streamHandle, "stream"));
        try {
            s.write(data, settings.writeTimeout());
        } finally {
            releaseIfDead(s);
        }
    }

    @Override
    public void netCloseStream(byte[] streamHandle) {
        long id = Handles.parse(streamHandle, "stream");
        Stream s;
        synchronized (this) {
            ensureOpen();
            s = streams.remove(id);
            if (s == null) {
                if (listeners.containsKey(id)) {
                    throw new HostException("handle " + Handles.text(id) + " is a listener, not a stream;"
                            + " a listener stays open until the capsule unloads");
                }
                if (!issued(id)) {
                    throw new HostException("unknown stream handle " + Handles.text(id));
                }
                return; // closed already (by the guest, or when the peer went away): nothing to do, as upstream
            }
        }
        s.close("stream " + Handles.text(id) + " is closed");
    }

    private void releaseIfDead(Stream s) {
        if (!s.dead()) {
            return;
        }
        synchronized (this) {
            if (streams.get(s.id) != s) {
                return;
            }
            streams.remove(s.id);
        }
        s.close("stream " + Handles.text(s.id) + " is closed");
    }

    // ---- lookups -----------------------------------------------------------------------------

    private synchronized Stream stream(long id) {
        ensureOpen();
        Stream s = streams.get(id);
        if (s != null) {
            return s;
        }
        if (listeners.containsKey(id)) {
            throw new HostException("handle " + Handles.text(id) + " is a listener, not a stream");
        }
        throw new HostException(issued(id) ? "stream handle " + Handles.text(id) + " is closed"
                : "unknown stream handle " + Handles.text(id));
    }

    /** The listener of a handle; the caller holds the lock. */
    private Listener listener(long id) {
        Listener l = listeners.get(id);
        if (l != null) {
            return l;
        }
        if (streams.containsKey(id)) {
            throw new HostException("handle " + Handles.text(id) + " is a stream, not a listener");
        }
        throw new HostException(issued(id) ? "handle " + Handles.text(id) + " is a closed stream, not a listener"
                : "unknown listener handle " + Handles.text(id));
    }

    private boolean issued(long id) {
        return id != 0 && Long.compareUnsigned(id, nextHandle) < 0;
    }

    private void ensureOpen() {
        if (closed) {
            throw new HostException(UNLOADING);
        }
    }

    // ---- unload ------------------------------------------------------------------------------

    /** Closes every stream and listener and removes the socket files. Idempotent. */
    @Override
    public void close() {
        List<Stream> ss;
        List<Listener> ls;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            ss = new ArrayList<>(streams.values());
            ls = new ArrayList<>(listeners.values());
            streams.clear();
            listeners.clear();
        }
        for (Stream s : ss) {
            s.close(UNLOADING);
        }
        for (Listener l : ls) {
            l.close(UNLOADING);
            dir.remove(l.path);
        }
        synchronized (this) {
            dir.removeMadeDirectories();
        }
        onClose.accept(this);
    }
}
