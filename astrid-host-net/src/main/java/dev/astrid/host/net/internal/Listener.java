package dev.astrid.host.net.internal;

import dev.astrid.host.spi.HostException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * One bound Unix socket. Its channel is non-blocking and waits go through a selector of its own,
 * so an interrupted wait (the call's timeout) leaves the channel open for the next call: a blocking
 * channel would be closed by the interrupt.
 */
final class Listener {
    final long id;
    final SocketNames.Name name;
    final Path path;
    private final ServerSocketChannel channel;
    private final Selector selector;
    private volatile String closedBecause;

    private Listener(long id, SocketNames.Name name, Path path, ServerSocketChannel channel, Selector selector) {
        this.id = id;
        this.name = name;
        this.path = path;
        this.channel = channel;
        this.selector = selector;
    }

    /** Binds a socket at a path that is free. */
    static Listener bind(long id, SocketNames.Name name, Path path) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        Selector sel = null;
        try {
            ch.bind(UnixDomainSocketAddress.of(path));
            ch.configureBlocking(false);
            sel = Selector.open();
            ch.register(sel, SelectionKey.OP_ACCEPT);
            return new Listener(id, name, path, ch, sel);
        } catch (IOException | RuntimeException e) {
            ch.close();
            if (sel != null) {
                sel.close();
            }
            throw e;
        }
    }

    /** A pending connection, or null when none is pending; never waits. */
    SocketChannel acceptNow() {
        try {
            return channel.accept();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /**
     * Waits for a connection. Ends with a {@link HostException} when the thread is interrupted (the
     * call's timeout, or unload) or the listener is closed; the listener stays usable after an
     * interrupt.
     */
    SocketChannel await() {
        try {
            while (true) {
                SocketChannel c = channel.accept();
                if (c != null) {
                    return c;
                }
                if (Thread.currentThread().isInterrupted()) {
                    // Keep the flag: the host reads it to end the guest's call.
                    throw new HostException("interrupted while waiting for a connection on listener " + Handles.text(id));
                }
                selector.select();
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw failure(e);
        } catch (ClosedSelectorException e) {
            throw new HostException(closedBecause != null ? closedBecause : "listener " + Handles.text(id) + " is closed");
        }
    }

    private HostException failure(IOException e) {
        String why = closedBecause;
        return new HostException(why != null ? why : "accept failed on listener " + Handles.text(id) + ": " + Reasons.of(e), e);
    }

    /** Closes the channel and wakes a waiting accept, which then fails with the reason. */
    void close(String reason) {
        closedBecause = reason;
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing left to do with it
        }
        try {
            selector.close();
        } catch (IOException e) {
            // closing: nothing left to do with it
        }
    }
}
