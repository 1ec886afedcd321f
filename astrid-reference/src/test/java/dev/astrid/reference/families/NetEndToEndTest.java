package dev.astrid.reference.families;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.host.tck.NetProviderContract.Client;
import dev.astrid.reference.AbiDriver;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.Guests;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.TestHosts;
import dev.astrid.sys.abi.AbiFunction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The net family through the real kernel and real guests: a {@code .wasm} echo server run loop and
 * the {@code abi-driver} bind real Unix sockets that a Java {@link java.nio.channels.SocketChannel}
 * client connects to, and frames go both ways; limits, timeouts and unload cleanup.
 */
class NetEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<Client> clients = new ArrayList<>();

    @AfterEach
    void closeClients() throws IOException {
        for (Client c : clients) {
            c.close();
        }
    }

    private LoadedCapsule load(AstridHost host, String name, String guest, String... netBind) throws IOException {
        CapsuleManifest m = CapsuleManifest.bare(name).withCapabilities(Capabilities.builder().netBind(netBind).build());
        return host.load(m, Guests.bytes(guest), Optional.of(Files.createDirectories(dir.resolve("c-" + name))));
    }

    /** Where the host puts a capsule's socket: {@code <data dir>/capsules/<name>/sockets/<path>}. */
    private Path socket(String capsule, String name) {
        return dir.resolve("data").resolve("capsules").resolve(capsule).resolve("sockets").resolve(name);
    }

    private Client connect(Path socket) throws IOException {
        Client c = new Client(socket);
        clients.add(c);
        return c;
    }

    private static FutureTask<byte[]> runLoop(LoadedCapsule c) {
        FutureTask<byte[]> run = new FutureTask<>(() -> c.call("run", new byte[0], Invocation.Caller.NONE, Duration.ZERO));
        Thread t = new Thread(run, "run-" + c.id());
        t.setDaemon(true);
        t.start();
        return run;
    }

    /** Waits until the run loop signalled ready; fails at once if the run call ended instead. */
    private static void awaitReady(LoadedCapsule c, FutureTask<byte[]> run) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!c.awaitReady(Duration.ofMillis(100))) {
            if (run.isDone()) {
                throw new AssertionError("the run loop ended before it was ready: " + failureOf(run).getMessage());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the run loop did not signal ready within " + PATIENCE);
            }
        }
    }

    private static GuestCallException failureOf(FutureTask<byte[]> task) throws Exception {
        try {
            byte[] out = task.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            throw new AssertionError("the call returned " + out.length + " bytes instead of failing");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(GuestCallException.class);
            return (GuestCallException) e.getCause();
        }
    }

    private static GuestCallException failure(Runnable r) {
        return catchThrowableOfType(GuestCallException.class, r::run);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Reads through the guest until a frame arrives (each read waits at most 50 ms on the host). */
    private static byte[] readFrame(AbiDriver d, String stream) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() - deadline < 0) {
            byte[] f = d.call(AbiFunction.NET_READ, b(stream));
            if (f.length > 0) {
                return f;
            }
        }
        throw new AssertionError("no frame on stream " + stream);
    }

    /** The driver's input for one call, to run it under a timeout of our choosing. */
    private static byte[] invoke(AbiFunction fn, byte[]... args) {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.write(fn.ordinal());
        in.write(args.length);
        for (byte[] a : args) {
            in.writeBytes(ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(a.length).array());
            in.writeBytes(a);
        }
        return in.toByteArray();
    }

    @Test
    void anEchoServerGuestServesRealClientsBothWaysAndUnloadLeavesNothingBehind() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            LoadedCapsule echo = load(host, "echo", "net-echo", "echo.sock");
            FutureTask<byte[]> run = runLoop(echo);
            awaitReady(echo, run);
            Path sock = socket("echo", "echo.sock");
            assertThat(sock).exists();

            Client first = connect(sock);
            first.send(b("hello"));
            assertThat(new String(first.receive(), StandardCharsets.UTF_8)).isEqualTo("hello");
            byte[] all = new byte[256];
            for (int i = 0; i < all.length; i++) {
                all[i] = (byte) i;
            }
            first.send(all);
            assertThat(first.receive()).isEqualTo(all);
            byte[] big = new byte[1024 * 1024 + 17];
            java.util.Arrays.fill(big, (byte) 0x5a);
            first.send(big);
            assertThat(first.receive()).isEqualTo(big);
            first.send(b("bye"));
            assertThat(first.seesEnd()).as("the guest closed the stream").isTrue();

            Client second = connect(sock);
            second.send(b("next client"));
            assertThat(new String(second.receive(), StandardCharsets.UTF_8)).isEqualTo("next client");

            echo.unload();
            assertThat(failureOf(run).kind()).isEqualTo(GuestCallException.Kind.UNLOADED);
            assertThat(second.seesEnd()).as("the client sees the end of the stream").isTrue();
            assertThat(sock).as("the socket file is removed").doesNotExist();
        }
    }

    @Test
    void aClientThatLeavesEndsTheSeedEraRunLoopWithAClearTrap() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            LoadedCapsule echo = load(host, "echo", "net-echo", "echo.sock");
            FutureTask<byte[]> run = runLoop(echo);
            awaitReady(echo, run);
            Client c = connect(socket("echo", "echo.sock"));
            c.send(b("ping"));
            assertThat(c.receive()).isEqualTo(b("ping"));
            c.close();
            GuestCallException e = failureOf(run);
            assertThat(e.kind()).isEqualTo(GuestCallException.Kind.HOST_ERROR);
            assertThat(e).hasMessageMatching("astrid_net_read: stream [0-9]+ was closed by the peer");
        }
    }

    @Test
    void framesGoBothWaysThroughTheDriverAndTheLimitsHold() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver d = new AbiDriver(load(host, "driver", "abi-driver", "*"));
            String listener = d.text(AbiFunction.NET_BIND_UNIX, "d.sock");
            assertThat(listener).matches("[0-9]+");
            Path sock = socket("driver", "d.sock");
            List<Client> cs = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                cs.add(connect(sock));
            }
            List<String> streams = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                streams.add(d.text(AbiFunction.NET_ACCEPT, listener));
            }
            assertThat(failure(() -> d.text(AbiFunction.NET_ACCEPT, listener)))
                    .hasMessageStartingWith("astrid_net_accept: connection cap reached (8/8)");
            assertThat(d.text(AbiFunction.NET_POLL_ACCEPT, listener)).as("poll_accept at the cap").isEmpty();

            // Both ways, on the first stream.
            cs.get(0).send(b("from the client"));
            assertThat(new String(readFrame(d, streams.get(0)), StandardCharsets.UTF_8)).isEqualTo("from the client");
            d.call(AbiFunction.NET_WRITE, b(streams.get(0)), b("from the guest"));
            assertThat(new String(cs.get(0).receive(), StandardCharsets.UTF_8)).isEqualTo("from the guest");

            // A frame over 10 MiB, either way.
            assertThat(failure(() -> d.call(AbiFunction.NET_WRITE, b(streams.get(0)), new byte[PayloadLimits.MAX_GUEST_PAYLOAD + 1])))
                    .hasMessage("astrid_net_write: memory allocation of 10485761 bytes exceeds maximum allowed limit of 10485760 bytes");
            cs.get(1).sendRaw(ByteBuffer.allocate(4).putInt(PayloadLimits.MAX_GUEST_PAYLOAD + 1).array());
            assertThat(failure(() -> readFrame(d, streams.get(1)))).hasMessage("astrid_net_read: stream " + streams.get(1)
                    + ": the peer sent a frame of 10485761 bytes, over the limit of 10485760; the stream is closed");
            assertThat(cs.get(1).seesEnd()).isTrue();

            // The oversized stream was released, so the ninth client gets in.
            String ninth = d.text(AbiFunction.NET_POLL_ACCEPT, listener);
            assertThat(ninth).matches("[0-9]+");
            cs.get(8).send(b("ninth"));
            assertThat(new String(readFrame(d, ninth), StandardCharsets.UTF_8)).isEqualTo("ninth");

            // Closed, unknown and peer-closed handles.
            d.call(AbiFunction.NET_CLOSE_STREAM, b(streams.get(2)));
            assertThat(cs.get(2).seesEnd()).isTrue();
            assertThat(failure(() -> d.text(AbiFunction.NET_READ, streams.get(2))))
                    .hasMessage("astrid_net_read: stream handle " + streams.get(2) + " is closed");
            assertThat(failure(() -> d.text(AbiFunction.NET_READ, "77"))).hasMessage("astrid_net_read: unknown stream handle 77");
            assertThat(failure(() -> d.text(AbiFunction.NET_READ, "seven")))
                    .hasMessage("astrid_net_read: invalid stream handle: expected a decimal number (ASCII digits only)");
            cs.get(3).close();
            assertThat(failure(() -> readFrame(d, streams.get(3))))
                    .hasMessage("astrid_net_read: stream " + streams.get(3) + " was closed by the peer");
            assertThat(d.text(AbiFunction.CLOCK_MS)).as("the capsule still answers").matches("[0-9]+");
        }
    }

    @Test
    void aWaitingAcceptIsEndedByTheCallTimeoutAndTheListenerSurvives() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            LoadedCapsule c = load(host, "driver", "abi-driver", "*");
            AbiDriver d = new AbiDriver(c);
            String listener = d.text(AbiFunction.NET_BIND_UNIX, "t.sock");
            GuestCallException timedOut = failure(() -> c.call("invoke", invoke(AbiFunction.NET_ACCEPT, b(listener)),
                    Invocation.Caller.NONE, Duration.ofMillis(300)));
            assertThat(timedOut.kind()).isEqualTo(GuestCallException.Kind.TIMEOUT);
            Client client = connect(socket("driver", "t.sock"));
            String stream = d.text(AbiFunction.NET_ACCEPT, listener);
            client.send(b("after the timeout"));
            assertThat(new String(readFrame(d, stream), StandardCharsets.UTF_8)).isEqualTo("after the timeout");
        }
    }

    @Test
    void unloadEndsAWaitingAcceptAndRemovesTheSocketFile() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            LoadedCapsule c = load(host, "driver", "abi-driver", "*");
            String listener = new AbiDriver(c).text(AbiFunction.NET_BIND_UNIX, "u.sock");
            FutureTask<byte[]> accept = new FutureTask<>(() -> c.call("invoke", invoke(AbiFunction.NET_ACCEPT, b(listener)),
                    Invocation.Caller.NONE, Duration.ZERO));
            Thread t = new Thread(accept, "accept");
            t.setDaemon(true);
            t.start();
            c.unload();
            assertThat(failureOf(accept).kind()).isEqualTo(GuestCallException.Kind.UNLOADED);
            assertThat(socket("driver", "u.sock")).doesNotExist();
        }
    }

    @Test
    void capsulesBindOnlyWhatNetBindAllowsAndOnlyInTheirOwnDirectory() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver none = new AbiDriver(load(host, "nobind", "abi-driver"));
            assertThat(failure(() -> none.text(AbiFunction.NET_BIND_UNIX, "x.sock"))).hasMessage("astrid_net_bind_unix: security"
                    + " denied net_bind: capsule nobind may not bind 'x.sock': the capsule declares no net_bind capability");
            AbiDriver a = new AbiDriver(load(host, "alpha", "abi-driver", "unix:*"));
            AbiDriver bee = new AbiDriver(load(host, "beta", "abi-driver", "*.sock"));
            String la = a.text(AbiFunction.NET_BIND_UNIX, "same.sock");
            String lb = bee.text(AbiFunction.NET_BIND_UNIX, "same.sock");
            connect(socket("alpha", "same.sock"));
            assertThat(bee.text(AbiFunction.NET_POLL_ACCEPT, lb)).as("beta never sees alpha's client").isEmpty();
            assertThat(a.text(AbiFunction.NET_POLL_ACCEPT, la)).matches("[0-9]+");
            assertThat(failure(() -> bee.text(AbiFunction.NET_BIND_UNIX, "../../alpha/sockets/same.sock")))
                    .hasMessage("astrid_net_bind_unix: socket path must not contain '..'");
            assertThat(failure(() -> bee.text(AbiFunction.NET_BIND_UNIX, socket("alpha", "same.sock").toString())))
                    .hasMessage("astrid_net_bind_unix: socket path must be relative to the capsule's socket directory, not absolute");
            assertThat(failure(() -> bee.text(AbiFunction.NET_BIND_UNIX, "x.txt")))
                    .hasMessageStartingWith("astrid_net_bind_unix: security denied net_bind: ");
        }
    }
}
