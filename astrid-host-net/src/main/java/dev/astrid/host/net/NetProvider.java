package dev.astrid.host.net;

import dev.astrid.host.net.internal.CapsuleNet;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.HostProvider;
import dev.astrid.sys.abi.Family;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built-in provider of the net family: real Unix domain sockets, each capsule's in a private
 * directory of its own, {@code <capsule data dir>/sockets} (mode 0700), at names its
 * {@code net_bind} patterns allow. Streams carry frames of a big-endian u32 length and that many
 * bytes, at most 10 MiB.
 *
 * <p>{@link #bind} returns a per-capsule {@link dev.astrid.sys.abi.NetFunctions} that is also
 * {@link AutoCloseable}: closing it (at unload) closes every stream and listener, removes the
 * socket files and ends a waiting accept. {@link #close()} closes the bindings still open.
 *
 * <p>Settings read from {@link CapsuleContext#settings()} at bind: {@code net.max-streams} (open
 * streams per capsule, default 8), {@code net.max-listeners} (listeners per capsule, default 8) and
 * {@code net.write-timeout-ms} (how long a write waits for a slow peer, default 5000, plus one
 * millisecond per KiB of the frame). See {@code docs/families/net.md}.
 */
public final class NetProvider implements HostProvider {
    private final Set<CapsuleNet> open = ConcurrentHashMap.newKeySet();

    @Override
    public String name() {
        return "astrid-host-net";
    }

    @Override
    public Family family() {
        return Family.NET;
    }

    @Override
    public Object bind(CapsuleContext capsule) {
        CapsuleNet net = CapsuleNet.bind(capsule, open::remove);
        open.add(net);
        return net;
    }

    /**
     * Where a capsule's sockets live: {@code <capsule data dir>/sockets}, absolute. A socket the
     * capsule binds as {@code run/cli.sock} is {@code socketDirectory(capsule).resolve("run/cli.sock")};
     * clients connect there. The host also logs each path when it binds it.
     */
    public static Path socketDirectory(CapsuleContext capsule) {
        return CapsuleNet.socketDirectory(capsule.capsuleDataDir());
    }

    /** Closes every binding still open: their sockets, and their socket files. */
    @Override
    public void close() {
        List<CapsuleNet> all = new ArrayList<>(open);
        for (CapsuleNet n : all) {
            n.close();
        }
    }
}
