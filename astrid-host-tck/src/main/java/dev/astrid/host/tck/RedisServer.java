package dev.astrid.host.tck;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real {@code redis-server} of the test's own: a free loopback port, a temporary directory,
 * {@code appendonly yes} (every write logged, fsynced each second), no RDB snapshots, no system
 * service. Stopping and starting it again keeps the port and the data. Fails (does not skip) when
 * {@code redis-server} is not installed: {@code .ci/run} installs it. For the tests of Redis
 * backends (astrid-host-redis) and of several hosts sharing one server.
 */
public final class RedisServer implements AutoCloseable {
    private final Path dir;
    private final int port;
    private Process process;

    private RedisServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * Starts a server in a directory, on a free loopback port.
     *
     * @throws IllegalStateException when {@code redis-server} is missing or does not become ready within 30 s
     */
    public static RedisServer start(Path dir) {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RedisServer server = new RedisServer(dir, port);
        server.startAgain();
        return server;
    }

    /** Starts the server again on the same port and directory (it reloads its append-only file). */
    public void startAgain() {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--appendonly", "yes", "--save", "",
                "--daemonize", "no", "--logfile", ""));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server (install it: apt-get install redis-server; "
                    + ".ci/run does): " + e.getMessage(), e);
        }
        // Ready when the server says so on its log (stdout); the log is drained for its whole life.
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        StringBuilder log = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
                    if (line.contains("Ready to accept connections")) {
                        ready.complete(true);
                    }
                }
            } catch (IOException e) {
                // The process ended.
            }
            ready.complete(false);
        }, "redis-server-log");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!ready.get(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server exited before it was ready:\n" + log);
            }
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw new IllegalStateException("redis-server was not ready within 30 s:\n" + log, e);
        }
        process = p;
    }

    /** Stops the server the way an administrator or a crash-free restart would (SIGTERM), and waits for it. */
    public void stop() {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The server's URL, {@code redis://127.0.0.1:PORT}. */
    public URI url() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    /** A fresh key prefix, so that tests sharing one server never see each other's keys or channels. */
    public static String uniquePrefix() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Stops the server. */
    @Override
    public void close() {
        stop();
    }
}
