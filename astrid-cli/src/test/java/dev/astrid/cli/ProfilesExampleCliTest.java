package dev.astrid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.tck.NetProviderContract.Client;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profile example through {@code astrid run}: the same echo server as four capsules of four
 * SDK profiles, on one host at the same time, each answering real Unix-socket clients on its own
 * wire.
 */
class ProfilesExampleCliTest {
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final List<String> CAPSULES = List.of("echo-seed", "echo-03", "echo-04", "echo-05");

    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();

    private String printed() {
        return cli.out.toString(StandardCharsets.UTF_8) + cli.err.toString(StandardCharsets.UTF_8);
    }

    private Path socket(String capsule) {
        return dir.resolve("data").resolve("capsules").resolve(capsule).resolve("sockets").resolve("echo.sock");
    }

    /** Connects once the capsule's run loop has bound its socket. */
    private Client connect(String capsule, FutureTask<Integer> run) throws Exception {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (true) {
            if (Files.exists(socket(capsule))) {
                try {
                    return new Client(socket(capsule));
                } catch (IOException notYetListening) {
                    // bound but not accepting yet: try again
                }
            }
            if (run.isDone()) {
                throw new AssertionError("astrid run ended before " + capsule + " listened: exit " + run.get() + "\n"
                        + printed());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(capsule + " never listened on " + socket(capsule) + "\n" + printed());
            }
            Thread.onSpinWait();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void fourProfilesRunSideBySideAndEachEchoesOnItsOwnWire() throws Exception {
        List<String> logged = new ArrayList<>();
        Handler h = new Handler() {
            @Override public void publish(LogRecord r) {
                String capsule = r.getLoggerName().substring("astrid.capsule.".length());
                synchronized (logged) {
                    logged.add(capsule + ": " + r.getMessage());
                }
            }
            @Override public void flush() {}
            @Override public void close() {}
        };
        List<Logger> loggers = new ArrayList<>();
        for (String c : CAPSULES) {
            Logger l = Logger.getLogger("astrid.capsule." + c);
            l.addHandler(h);
            loggers.add(l);
        }
        Path examples = Path.of("..", "examples", "profiles");
        List<String> args = new ArrayList<>(List.of("run"));
        CAPSULES.forEach(c -> args.add(examples.resolve(c).toString()));
        args.addAll(List.of("--for", "20s", "--workspace", Files.createDirectories(dir.resolve("ws")).toString()));
        FutureTask<Integer> run = new FutureTask<>(() -> cli.run(dir.resolve("data"), args.toArray(new String[0])));
        Thread t = new Thread(run, "astrid-run");
        t.setDaemon(true);
        t.start();
        List<Client> clients = new ArrayList<>();
        try {
            for (String c : CAPSULES) {
                clients.add(connect(c, run));
            }
            for (Client c : clients) {
                c.send(b("hi"));
            }
            // What astrid_net_read answered, echoed back as it was: raw under seed and 0.3, behind 0x00 from 0.4.
            assertThat(clients.get(0).receive()).as("echo-seed").isEqualTo(b("hi"));
            assertThat(clients.get(1).receive()).as("echo-03").isEqualTo(b("hi"));
            assertThat(clients.get(2).receive()).as("echo-04").isEqualTo(new byte[] {0, 'h', 'i'});
            assertThat(clients.get(3).receive()).as("echo-05").isEqualTo(new byte[] {0, 'h', 'i'});

            // The clients go away. 0.3 and later read 0x01, close the stream and serve the next client.
            for (Client c : clients) {
                c.close();
            }
            for (String c : List.of("echo-03", "echo-04", "echo-05")) {
                try (Client again = connect(c, run)) {
                    again.send(b("again"));
                    assertThat(again.receive()).as(c + " after a client left").endsWith(b("again"));
                }
            }
            // The seed's run loop failed (below), and a failed run loop makes the exit code 1.
            assertThat(run.get(60, TimeUnit.SECONDS)).as(printed()).isEqualTo(1);
        } finally {
            for (Client c : clients) {
                c.close();
            }
            loggers.forEach(l -> l.removeHandler(h));
        }
        String out = cli.out.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("profile of echo-seed: seed", "profile of echo-03: 0.3", "profile of echo-04: 0.4",
                "profile of echo-05: 0.5");
        // Under the seed a client that goes away makes the read trap, which ends that run loop only.
        assertThat(out).containsPattern("run loop of echo-seed failed: astrid_net_read: stream [0-9]+ was closed by the peer")
                .doesNotContain("run loop of echo-03 failed", "run loop of echo-04 failed", "run loop of echo-05 failed");
        synchronized (logged) {
            assertThat(logged).contains("echo-seed: kv_get of a missing key answered 0 bytes",
                    "echo-05: kv_get of a missing key answered 1 byte, the first is 0",
                    "echo-04: fs_exists of a missing path answered 0 bytes",
                    "echo-05: fs_exists of a missing path answered 1 byte, the first is 0",
                    "echo-03: the client went away");
        }
    }
}
