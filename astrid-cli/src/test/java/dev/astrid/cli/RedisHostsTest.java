package dev.astrid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.tck.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code astrid run} processes (two JVMs, two data directories) on one real redis-server, as
 * the README's "Several hosts on one Redis" shows: pong on one host answers ping on the other over
 * the bus, and ping's run counter lives in the shared KV namespace, so a third run from yet another
 * data directory counts on from the first.
 */
class RedisHostsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** One host process and everything it printed. */
    private static final class Host implements AutoCloseable {
        final Process process;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Host(List<String> command) throws IOException {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Thread drain = new Thread(() -> {
                byte[] buf = new byte[4096];
                try (InputStream in = process.getInputStream()) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        synchronized (out) {
                            out.write(buf, 0, n);
                            out.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // The process ended.
                }
            }, "host-output");
            drain.setDaemon(true);
            drain.start();
        }

        String text() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }

        void awaitText(String wanted) throws InterruptedException {
            long end = System.nanoTime() + PATIENCE.toNanos();
            synchronized (out) {
                while (!out.toString(StandardCharsets.UTF_8).contains(wanted)) {
                    long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                    if (left <= 0) {
                        throw new AssertionError("the host never printed '" + wanted + "'; it printed:\n" + text());
                    }
                    out.wait(left);
                }
            }
        }

        int awaitExit() throws InterruptedException {
            if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("the host did not exit; it printed:\n" + text());
            }
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private Host astrid(String name, String redisUrl, String prefix, String... args) throws IOException {
        String modulePath = System.getProperty("jdk.module.path");
        assertThat(modulePath).as("the tests run on the module path").isNotBlank();
        Path data = dir.resolve("data-" + name);
        Path ws = Files.createDirectories(dir.resolve("ws-" + name));
        // Surefire puts the jars no module requires (Jedis's own dependencies) on the class path; the
        // automatic Jedis module reads them there. The launcher puts every jar on the module path.
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-p", modulePath, "-cp", System.getProperty("java.class.path", ""),
                "-m", "dev.astrid.cli/dev.astrid.cli.AstridCli"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--data-dir", data.toString(), "--workspace", ws.toString(),
                "--provider", "kv=redis", "--provider", "ipc=redis",
                "--setting", "redis.url=" + redisUrl, "--setting", "redis.prefix=" + prefix));
        return new Host(cmd);
    }

    @Test
    void pongOnOneHostAnswersPingOnAnotherAndTheKvIsShared() throws Exception {
        Path examples = Path.of("..", "examples").toAbsolutePath().normalize();
        try (RedisServer redis = RedisServer.start(Files.createDirectories(dir.resolve("redis")))) {
            String url = redis.url().toString();
            String prefix = RedisServer.uniquePrefix();
            try (Host pongHost = astrid("pong", url, prefix, "run", examples.resolve("pong").toString(), "--for", "10m")) {
                pongHost.awaitText("ready: pong");
                try (Host pingHost = astrid("ping", url, prefix, "run", examples.resolve("ping").toString(), "--for", "6s")) {
                    assertThat(pingHost.awaitExit()).as(pingHost.text()).isZero();
                    assertThat(pingHost.text()).contains("this is run number 1 (counted in the KV store)")
                            .contains("pong answered ping 1").contains("pong answered ping 3")
                            .doesNotContain("no answer from pong");
                }
                pongHost.awaitText("answered ping 3");
                try (Host again = astrid("ping-again", url, prefix, "run", examples.resolve("ping").toString(), "--for", "6s")) {
                    assertThat(again.awaitExit()).as(again.text()).isZero();
                    assertThat(again.text()).as("another data directory, the same KV namespace on Redis")
                            .contains("this is run number 2 (counted in the KV store)").contains("pong answered ping 1");
                }
            }
        }
    }
}
