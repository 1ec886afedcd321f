package dev.astrid.host.process.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * A daemon thread that copies one output stream of a process into a {@link Sink} until the stream
 * ends, which happens when every process holding its write end has ended. It closes the stream.
 */
final class Pump {
    private final Thread thread;

    Pump(String name, InputStream in, Sink sink) {
        thread = new Thread(() -> copy(in, sink), name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Waits up to {@code limit} for the stream to end; true if it did. */
    boolean await(Duration limit) throws InterruptedException {
        thread.join(Math.max(1, limit.toMillis()));
        return !thread.isAlive();
    }

    private static void copy(InputStream in, Sink sink) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n > 0) {
                    sink.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // The stream was closed under us or failed: either way nothing more comes.
        } finally {
            sink.end();
        }
    }
}
