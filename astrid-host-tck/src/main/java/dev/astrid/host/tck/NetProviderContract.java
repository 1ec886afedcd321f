package dev.astrid.host.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.NetFunctions;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The observable contract of the net family (as this host builds it, see
 * {@code docs/families/net.md}): real Unix domain sockets in a private directory per capsule, gated
 * by {@code net_bind}; frames of a big-endian u32 length and that many bytes, at most 10 MiB;
 * handles as decimal text; limits on streams and listeners; everything closed and removed at unload.
 *
 * <p>Extend it and implement {@link #createProvider()}; override {@link #socketPath} if the provider
 * keeps sockets elsewhere. Every test talks to the provider through real sockets with a Java
 * {@link SocketChannel} client. Bindings made with {@link #bindNet} are closed after each test, then
 * the provider. Waits on a second thread use generous deadlines that only guard against hangs.
 */
public abstract class NetProviderContract extends ProviderContract<NetFunctions> {

    /** How long a test waits for something that should happen at once (a hang guard only). */
    protected static final Duration PATIENCE = Duration.ofSeconds(30);
    /** The largest frame, in either direction. */
    protected static final int MAX_FRAME = PayloadLimits.MAX_GUEST_PAYLOAD;

    private final List<Object> bindings = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> clients = new CopyOnWriteArrayList<>();

    @Override
    protected final Family family() {
        return Family.NET;
    }

    /** The provider is found as a host finds it: its module provides it and ServiceLoader loads it. */
    @Test
    void isRegisteredForServiceLoader() {
        assertRegisteredAsService();
    }

    @AfterEach
    void closeClientsBindingsAndProvider() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
        for (Object b : bindings) {
            if (b instanceof AutoCloseable) {
                ((AutoCloseable) b).close();
            }
        }
        provider.close();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** Where the provider puts the socket a capsule binds as {@code name}: by default {@code <capsule data dir>/sockets/<name>}. */
    protected Path socketPath(TestCapsule capsule, String name) {
        return capsule.capsuleDataDir().resolve("sockets").resolve(name);
    }

    /** A capsule with these {@code net_bind} patterns. */
    protected TestCapsule capsule(String id, String... netBind) {
        return host.capsule(id).capabilities(Capabilities.builder().netBind(netBind).build()).build();
    }

    /** A capsule with these {@code net_bind} patterns and provider settings. */
    protected TestCapsule capsule(String id, Map<String, String> settings, String... netBind) {
        return host.capsule(id).capabilities(Capabilities.builder().netBind(netBind).build())
                .settings(ProviderSettings.of(settings)).build();
    }

    /** Binds the provider for a capsule and closes the binding after the test. */
    protected NetFunctions bindNet(TestCapsule capsule) {
        NetFunctions net = bind(capsule);
        bindings.add(net);
        return net;
    }

    /** Closes a binding as the host does at unload. */
    protected static void unload(NetFunctions net) throws Exception {
        assertThat(net).as("a binding must be AutoCloseable so the host can unload it").isInstanceOf(AutoCloseable.class);
        ((AutoCloseable) net).close();
    }

    /** Connects a client to a socket; it is closed after the test. */
    protected Client connect(Path socket) throws IOException {
        Client c = new Client(socket);
        clients.add(c);
        return c;
    }

    /** A capsule {@code alpha} allowed every name, bound, listening on {@code s.sock}; returns its listener handle. */
    private Served serve() {
        TestCapsule c = capsule("alpha", "*");
        NetFunctions net = bindNet(c);
        String listener = s(net.netBindUnix(b("s.sock")));
        return new Served(c, net, listener, socketPath(c, "s.sock"));
    }

    /** A served capsule with one client connected and accepted. */
    private Connected connected() throws IOException {
        Served srv = serve();
        Client client = connect(srv.socket);
        String stream = s(srv.net.netAccept(b(srv.listener)));
        return new Connected(srv, client, stream);
    }

    private record Served(TestCapsule capsule, NetFunctions net, String listener, Path socket) {}

    private record Connected(Served srv, Client client, String stream) {
        NetFunctions net() {
            return srv.net;
        }
    }

    /** Reads until a frame arrives or {@link #PATIENCE} runs out. */
    protected static byte[] readFrame(NetFunctions net, String stream) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() - deadline < 0) {
            byte[] f = net.netRead(b(stream));
            if (f.length > 0) {
                return f;
            }
        }
        throw new AssertionError("no frame arrived on stream " + stream + " within " + PATIENCE);
    }

    /** A length-prefixed frame as it travels on the wire. */
    public static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private static boolean isDecimal(byte[] b) {
        return b.length > 0 && s(b).matches("[0-9]+");
    }

    /**
     * A client of a Unix socket, non-blocking underneath so that every wait has a deadline of
     * {@link #PATIENCE}. Public so that end-to-end tests of a whole host can use it too.
     */
    public static final class Client implements AutoCloseable {
        private final SocketChannel channel;
        private final Selector selector;
        private final SelectionKey key;

        /** Connects to a socket. */
        public Client(Path socket) throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            selector = Selector.open();
            key = channel.register(selector, 0);
        }

        /** Writes bytes as they are. */
        public synchronized void sendRaw(byte[] bytes) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (buf.hasRemaining()) {
                if (channel.write(buf) == 0) {
                    await(SelectionKey.OP_WRITE, deadline, "writing");
                }
            }
        }

        /** Writes one frame. */
        public void send(byte[] payload) throws IOException {
            sendRaw(frame(payload));
        }

        /** Reads one frame; fails at the end of the stream or after {@link #PATIENCE}. */
        public synchronized byte[] receive() throws IOException {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            ByteBuffer header = ByteBuffer.allocate(4);
            fill(header, deadline);
            ByteBuffer body = ByteBuffer.allocate(header.getInt(0));
            fill(body, deadline);
            return body.array();
        }

        /** Reads exactly {@code n} raw bytes; fails at the end of the stream or after {@link #PATIENCE}. */
        public synchronized byte[] receiveRaw(int n) throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(n);
            fill(buf, System.nanoTime() + PATIENCE.toNanos());
            return buf.array();
        }

        /** Whether the server closed the connection within {@link #PATIENCE} (bytes before the end are skipped). */
        public synchronized boolean seesEnd() throws IOException {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
            while (true) {
                sink.clear();
                int n;
                try {
                    n = channel.read(sink);
                } catch (IOException reset) {
                    return true;
                }
                if (n < 0) {
                    return true;
                }
                if (n == 0) {
                    if (System.nanoTime() - deadline > 0) {
                        return false;
                    }
                    await(SelectionKey.OP_READ, deadline, "waiting for the end");
                }
            }
        }

        private void fill(ByteBuffer buf, long deadline) throws IOException {
            while (buf.hasRemaining()) {
                int n = channel.read(buf);
                if (n < 0) {
                    throw new IOException("the server closed the connection after " + buf.position() + " bytes");
                }
                if (n == 0) {
                    await(SelectionKey.OP_READ, deadline, "reading");
                }
            }
        }

        private void await(int op, long deadline, String doing) throws IOException {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException("timed out " + doing);
            }
            key.interestOps(op);
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            selector.selectedKeys().clear();
            key.interestOps(0);
        }

        @Override
        public void close() throws IOException {
            channel.close();
            selector.close();
        }
    }

    /** Runs a task on a new thread. */
    protected static <V> Background<V> inBackground(String name, Callable<V> task) {
        FutureTask<V> future = new FutureTask<>(task);
        Thread thread = new Thread(future, name);
        thread.setDaemon(true);
        thread.start();
        return new Background<>(thread, future);
    }

    /**
     * A task running on its own thread.
     *
     * @param thread the thread
     * @param future its result
     * @param <V> the result type
     */
    protected record Background<V>(Thread thread, FutureTask<V> future) {
        /** The task's result, waiting at most {@link #PATIENCE}; its exception if it failed. */
        public V get() throws Exception {
            try {
                return future.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                thread.interrupt();
                throw new AssertionError("the task did not finish within " + PATIENCE, e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception) {
                    throw (Exception) e.getCause();
                }
                throw e;
            }
        }

        /** The {@link HostException} the task ended with; fails if it ended otherwise. */
        public HostException failure() throws Exception {
            try {
                V v = get();
                return fail("expected a HostException, the task returned " + v);
            } catch (HostException e) {
                return e;
            }
        }
    }

    // ---- astrid_net_bind_unix ----------------------------------------------------------------------

    /** {@code astrid_net_bind_unix}: real sockets, only in the capsule's own directory, only where net_bind allows. */
    @Nested
    class BindUnix {
        @Test
        void bindsARealSocketInTheCapsulesPrivateDirectoryAndAnswersADecimalHandle() throws Exception {
            TestCapsule c = capsule("alpha", "*");
            NetFunctions net = bindNet(c);
            byte[] handle = net.netBindUnix(b("cli.sock"));
            assertThat(isDecimal(handle)).as("handle %s", s(handle)).isTrue();
            Path socket = socketPath(c, "cli.sock");
            assertThat(socket).exists();
            if (Files.getFileStore(socket.getParent()).supportsFileAttributeView("posix")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
                        .as("the socket directory is private").isEqualTo("rwx------");
            }
            Client client = connect(socket);
            byte[] stream = net.netAccept(handle);
            assertThat(isDecimal(stream)).isTrue();
            client.send(b("hi"));
            assertThat(s(readFrame(net, s(stream)))).isEqualTo("hi");
        }

        @Test
        void nestedNamesGetPrivateDirectoriesInsideTheSocketDirectory() throws Exception {
            TestCapsule c = capsule("alpha", "*");
            NetFunctions net = bindNet(c);
            byte[] handle = net.netBindUnix(b("./run//a/b.sock"));
            Path socket = socketPath(c, "run/a/b.sock");
            assertThat(socket).exists();
            connect(socket);
            assertThat(isDecimal(net.netAccept(handle))).isTrue();
        }

        @Test
        void withoutAMatchingNetBindPatternTheBindIsDenied() {
            TestCapsule noneCapsule = capsule("none");
            NetFunctions none = bindNet(noneCapsule);
            assertHostError(() -> none.netBindUnix(b("cli.sock"))).hasMessageStartingWith("security denied net_bind: ")
                    .hasMessageContaining("declares no net_bind capability");
            assertThat(socketPath(noneCapsule, "cli.sock").getParent()).as("a denied bind creates nothing").doesNotExist();
            NetFunctions some = bindNet(capsule("some", "cli-*.sock", "unix:/abs/path.sock", ""));
            assertHostError(() -> some.netBindUnix(b("other.sock"))).hasMessageStartingWith("security denied net_bind: ")
                    .hasMessageContaining("no net_bind pattern matches");
            assertThat(isDecimal(some.netBindUnix(b("cli-1.sock")))).isTrue();
            assertHostError(() -> some.netBindUnix(b("CLI-1.sock"))).as("case matters: it is another file")
                    .hasMessageStartingWith("security denied net_bind: ");
            assertHostError(() -> some.netBindUnix(b("path.sock"))).as("an absolute entry allows nothing")
                    .hasMessageStartingWith("security denied net_bind: ");
            NetFunctions upstream = bindNet(capsule("upstream", "unix:*"));
            assertThat(isDecimal(upstream.netBindUnix(b("any/name.sock")))).as("upstream's unix:* allows every name").isTrue();
        }

        @Test
        void pathsThatCouldLeaveTheDirectoryOrAreNotNamesAreRefused() {
            NetFunctions net = bindNet(capsule("alpha", "*"));
            assertHostError(() -> net.netBindUnix(b("../x.sock"))).hasMessageContaining("'..'");
            assertHostError(() -> net.netBindUnix(b("a/../../x.sock"))).hasMessageContaining("'..'");
            assertHostError(() -> net.netBindUnix(b("/tmp/x.sock"))).hasMessageContaining("not absolute");
            assertHostError(() -> net.netBindUnix(b(""))).hasMessageContaining("empty");
            assertHostError(() -> net.netBindUnix(b("./"))).hasMessageContaining("names no socket");
            assertHostError(() -> net.netBindUnix(new byte[] {'a', 0, 'b'})).hasMessageContaining("NUL");
            assertHostError(() -> net.netBindUnix(b("a\nb"))).hasMessageContaining("control character");
            assertHostError(() -> net.netBindUnix(new byte[] {'a', (byte) 0xff})).hasMessageContaining("UTF-8");
            assertHostError(() -> net.netBindUnix(b("n".repeat(256)))).hasMessageContaining("255 bytes");
            assertHostError(() -> net.netBindUnix(new byte[PayloadLimits.MAX_PATH + 1]))
                    .hasMessage(PayloadLimits.tooLarge(PayloadLimits.MAX_PATH + 1, PayloadLimits.MAX_PATH));
        }

        @Test
        void linksInTheSocketDirectoryAreNotFollowed() throws Exception {
            TestCapsule c = capsule("alpha", "*");
            NetFunctions net = bindNet(c);
            net.netBindUnix(b("first.sock")); // makes the directory
            Path outside = Files.createDirectories(tempDir.resolve("outside"));
            Files.createSymbolicLink(socketPath(c, "out"), outside);
            Files.createSymbolicLink(socketPath(c, "link.sock"), outside.resolve("target.sock"));
            assertHostError(() -> net.netBindUnix(b("out/x.sock"))).hasMessageContaining("'out' in the socket path is a link");
            assertHostError(() -> net.netBindUnix(b("link.sock"))).hasMessageContaining("is a link, not a socket");
            Files.writeString(socketPath(c, "file.sock"), "not a socket");
            assertHostError(() -> net.netBindUnix(b("file.sock"))).hasMessageContaining("not a socket");
            try (var s = Files.list(outside)) {
                assertThat(s).as("nothing was created outside").isEmpty();
            }
            assertThat(Files.readString(socketPath(c, "file.sock"))).isEqualTo("not a socket");
        }

        @Test
        void theSocketDirectoryBeingALinkIsRefused() throws Exception {
            TestCapsule c = capsule("alpha", "*");
            Path elsewhere = Files.createDirectories(tempDir.resolve("elsewhere"));
            Files.createSymbolicLink(socketPath(c, "x").getParent(), elsewhere);
            NetFunctions net = bindNet(c);
            assertHostError(() -> net.netBindUnix(b("x.sock"))).hasMessageContaining("socket directory is a link");
            try (var s = Files.list(elsewhere)) {
                assertThat(s).isEmpty();
            }
        }

        @Test
        void aPathLongerThanASocketAddressHoldsIsAClearErrorAndTheLongestThatFitsWorks() throws Exception {
            TestCapsule c = capsule("alpha", "*");
            NetFunctions net = bindNet(c);
            int linuxMax = 106; // sun_path's 108 bytes less the two the JDK keeps
            int dirBytes = socketPath(c, "x").getParent().toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length + 1;
            int room = linuxMax - dirBytes;
            assertThat(room).as("the test's temporary directory leaves room for a name").isGreaterThan(8);
            String tooLong = "a".repeat(room + 1);
            assertHostError(() -> net.netBindUnix(b(tooLong))).hasMessageStartingWith("socket path too long: ")
                    .hasMessageContaining("leaving " + room + " for the name").hasMessageNotContaining(tempDir.toString());
            if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
                String longest = "a".repeat(room);
                byte[] handle = net.netBindUnix(b(longest));
                connect(socketPath(c, longest));
                assertThat(isDecimal(net.netAccept(handle))).isTrue();
            }
        }

        @Test
        void bindingAPathTheCapsuleAlreadyListensOnAnswersTheSameListener() {
            NetFunctions net = bindNet(capsule("alpha", "*"));
            String first = s(net.netBindUnix(b("cli.sock")));
            assertThat(s(net.netBindUnix(b("./cli.sock")))).isEqualTo(first);
            assertThat(s(net.netBindUnix(b("other.sock")))).isNotEqualTo(first);
        }

        @Test
        void aStaleSocketFileIsReplacedAndALiveOneIsNot() throws Exception {
            TestCapsule c = capsule("alpha", "*");
            NetFunctions net = bindNet(c);
            net.netBindUnix(b("first.sock"));
            Path stale = socketPath(c, "stale.sock");
            try (ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                old.bind(UnixDomainSocketAddress.of(stale)); // a listener that went away without removing its file
            }
            assertThat(stale).exists();
            byte[] handle = net.netBindUnix(b("stale.sock"));
            connect(stale);
            assertThat(isDecimal(net.netAccept(handle))).as("the new listener serves the name").isTrue();

            Path live = socketPath(c, "live.sock");
            try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                other.bind(UnixDomainSocketAddress.of(live));
                assertHostError(() -> net.netBindUnix(b("live.sock"))).hasMessageContaining("is in use");
                assertThat(live).exists();
            }
        }

        @Test
        void eachCapsuleHasItsOwnDirectorySoNamesNeverCollide() throws Exception {
            TestCapsule a = capsule("alpha", "*");
            TestCapsule bc = capsule("beta", "*");
            NetFunctions netA = bindNet(a);
            NetFunctions netB = bindNet(bc);
            byte[] la = netA.netBindUnix(b("shared.sock"));
            byte[] lb = netB.netBindUnix(b("shared.sock"));
            assertThat(socketPath(a, "shared.sock")).isNotEqualTo(socketPath(bc, "shared.sock"));
            Client toA = connect(socketPath(a, "shared.sock"));
            assertThat(netB.netPollAccept(lb)).as("beta never sees alpha's client").isEmpty();
            byte[] stream = netA.netAccept(la);
            toA.send(b("for alpha"));
            assertThat(s(readFrame(netA, s(stream)))).isEqualTo("for alpha");
        }

        @Test
        void listenersAreLimitedPerCapsule() {
            NetFunctions net = bindNet(capsule("alpha", Map.of("net.max-listeners", "2"), "*"));
            String one = s(net.netBindUnix(b("1.sock")));
            net.netBindUnix(b("2.sock"));
            assertHostError(() -> net.netBindUnix(b("3.sock"))).hasMessageStartingWith("listener limit reached (2/2)")
                    .hasMessageContaining("net.max-listeners");
            assertThat(s(net.netBindUnix(b("1.sock")))).as("an existing listener is still answered").isEqualTo(one);
            NetFunctions other = bindNet(capsule("beta", Map.of("net.max-listeners", "2"), "*"));
            other.netBindUnix(b("1.sock"));
            other.netBindUnix(b("2.sock"));
        }

        @Test
        void malformedSettingsAreRefusedAtBind() {
            assertHostError(() -> bind(capsule("alpha", Map.of("net.max-streams", "0"), "*")))
                    .hasMessageContaining("net.max-streams");
            assertHostError(() -> bind(capsule("beta", Map.of("net.write-timeout-ms", "soon"), "*")))
                    .hasMessageContaining("net.write-timeout-ms");
        }
    }

    // ---- astrid_net_accept ---------------------------------------------------------------------------

    /** {@code astrid_net_accept}: waits for a client, ends on interrupt or unload, keeps the listener usable. */
    @Nested
    class Accept {
        @Test
        void answersAStreamHandleForAClientThatIsAlreadyWaiting() throws Exception {
            Served srv = serve();
            connect(srv.socket);
            byte[] stream = srv.net.netAccept(b(srv.listener));
            assertThat(isDecimal(stream)).isTrue();
            assertThat(s(stream)).isNotEqualTo(srv.listener);
        }

        @Test
        void waitsForAClientToConnect() throws Exception {
            Served srv = serve();
            Background<byte[]> accept = inBackground("accept", () -> srv.net.netAccept(b(srv.listener)));
            Client client = connect(srv.socket);
            String stream = s(accept.get());
            client.send(b("after the wait"));
            assertThat(s(readFrame(srv.net, stream))).isEqualTo("after the wait");
        }

        @Test
        void anInterruptEndsTheWaitAndTheListenerStaysUsable() throws Exception {
            Served srv = serve();
            Background<byte[]> accept = inBackground("accept", () -> srv.net.netAccept(b(srv.listener)));
            accept.thread().interrupt();
            assertThat(accept.failure()).hasMessageContaining("interrupted while waiting for a connection");
            Client client = connect(srv.socket);
            String stream = s(srv.net.netAccept(b(srv.listener)));
            client.send(b("still listening"));
            assertThat(s(readFrame(srv.net, stream))).isEqualTo("still listening");
        }

        @Test
        void unloadEndsAWaitingAccept() throws Exception {
            Served srv = serve();
            Background<byte[]> accept = inBackground("accept", () -> srv.net.netAccept(b(srv.listener)));
            unload(srv.net);
            assertThat(accept.failure()).hasMessage("the capsule is unloading");
        }

        @Test
        void aNinthStreamIsRefusedUntilOneIsClosed() throws Exception {
            Served srv = serve();
            List<String> streams = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                connect(srv.socket);
            }
            for (int i = 0; i < 8; i++) {
                streams.add(s(srv.net.netAccept(b(srv.listener))));
            }
            assertHostError(() -> srv.net.netAccept(b(srv.listener))).hasMessageStartingWith("connection cap reached (8/8)");
            assertThat(srv.net.netPollAccept(b(srv.listener))).as("poll_accept answers empty at the cap").isEmpty();
            srv.net.netCloseStream(b(streams.get(3)));
            assertThat(isDecimal(srv.net.netAccept(b(srv.listener)))).as("the waiting ninth client").isTrue();
        }

        @Test
        void theStreamCapIsASetting() throws Exception {
            TestCapsule c = capsule("alpha", Map.of("net.max-streams", "1"), "*");
            NetFunctions net = bindNet(c);
            byte[] l = net.netBindUnix(b("s.sock"));
            connect(socketPath(c, "s.sock"));
            connect(socketPath(c, "s.sock"));
            net.netAccept(l);
            assertHostError(() -> net.netAccept(l)).hasMessageStartingWith("connection cap reached (1/1)")
                    .hasMessageContaining("net.max-streams");
        }

        @Test
        void handlesOfTheWrongKindOrNeverIssuedAreRefused() throws Exception {
            Connected con = connected();
            assertHostError(() -> con.net().netAccept(b(con.stream))).hasMessage("handle " + con.stream + " is a stream, not a listener");
            assertHostError(() -> con.net().netAccept(b("99"))).hasMessage("unknown listener handle 99");
            assertHostError(() -> con.net().netAccept(b("0"))).hasMessage("unknown listener handle 0");
            assertHostError(() -> con.net().netAccept(b("x"))).hasMessageStartingWith("invalid listener handle");
        }
    }

    // ---- astrid_net_poll_accept ----------------------------------------------------------------------

    /** {@code astrid_net_poll_accept}: never waits. */
    @Nested
    class PollAccept {
        @Test
        void answersEmptyWhenNobodyIsWaitingAndAHandleWhenSomebodyIs() throws Exception {
            Served srv = serve();
            assertThat(srv.net.netPollAccept(b(srv.listener))).isEmpty();
            Client client = connect(srv.socket);
            byte[] stream = srv.net.netPollAccept(b(srv.listener));
            assertThat(isDecimal(stream)).isTrue();
            assertThat(srv.net.netPollAccept(b(srv.listener))).isEmpty();
            client.send(b("polled"));
            assertThat(s(readFrame(srv.net, s(stream)))).isEqualTo("polled");
        }

        @Test
        void badHandlesAreRefused() throws Exception {
            Served srv = serve();
            assertHostError(() -> srv.net.netPollAccept(b("7"))).hasMessage("unknown listener handle 7");
            assertHostError(() -> srv.net.netPollAccept(b(""))).hasMessageStartingWith("invalid listener handle");
        }
    }

    // ---- astrid_net_read -----------------------------------------------------------------------------

    /** {@code astrid_net_read}: one frame per call, empty when none arrived, pieces kept, the peer's end a trap. */
    @Nested
    class Read {
        @Test
        void answersOneFramePerCallAndEmptyWhenNoneArrived() throws Exception {
            Connected con = connected();
            assertThat(con.net().netRead(b(con.stream))).isEmpty();
            con.client.sendRaw(concat(frame(b("first")), frame(b("second"))));
            assertThat(s(readFrame(con.net(), con.stream))).isEqualTo("first");
            assertThat(s(readFrame(con.net(), con.stream))).isEqualTo("second");
            assertThat(con.net().netRead(b(con.stream))).isEmpty();
        }

        @Test
        void everyByteValueSurvives() throws Exception {
            Connected con = connected();
            byte[] all = new byte[256];
            for (int i = 0; i < all.length; i++) {
                all[i] = (byte) i;
            }
            con.client.send(all);
            assertThat(readFrame(con.net(), con.stream)).isEqualTo(all);
        }

        @Test
        void aFrameThatArrivesInPiecesIsKeptUntilItIsWhole() throws Exception {
            Connected con = connected();
            byte[] payload = bytes(100_000, 7);
            byte[] wire = frame(payload);
            con.client.sendRaw(Arrays.copyOfRange(wire, 0, 2));
            assertThat(con.net().netRead(b(con.stream))).as("half a header").isEmpty();
            con.client.sendRaw(Arrays.copyOfRange(wire, 2, 4 + 1000));
            assertThat(con.net().netRead(b(con.stream))).as("the header and part of the body").isEmpty();
            con.client.sendRaw(Arrays.copyOfRange(wire, 4 + 1000, 4 + 70_000));
            assertThat(con.net().netRead(b(con.stream))).as("more of the body").isEmpty();
            byte[] rest = concat(Arrays.copyOfRange(wire, 4 + 70_000, wire.length), frame(b("next")));
            con.client.sendRaw(rest);
            assertThat(readFrame(con.net(), con.stream)).isEqualTo(payload);
            assertThat(s(readFrame(con.net(), con.stream))).isEqualTo("next");
        }

        @Test
        void aFrameOfTenMebibytesArrivesWhole() throws Exception {
            Connected con = connected();
            byte[] payload = bytes(MAX_FRAME, 3);
            Background<Void> send = inBackground("send", () -> {
                con.client.send(payload);
                return null;
            });
            assertThat(readFrame(con.net(), con.stream)).isEqualTo(payload);
            send.get();
        }

        @Test
        void anAnnouncedFrameOverTenMebibytesClosesTheStream() throws Exception {
            Connected con = connected();
            con.client.sendRaw(ByteBuffer.allocate(4).putInt(MAX_FRAME + 1).array());
            assertHostError(() -> readFrame(con.net(), con.stream)).hasMessage("stream " + con.stream + ": the peer sent a frame of "
                    + (MAX_FRAME + 1) + " bytes, over the limit of " + MAX_FRAME + "; the stream is closed");
            assertThat(con.client.seesEnd()).isTrue();
            assertHostError(() -> con.net().netRead(b(con.stream))).hasMessage("stream handle " + con.stream + " is closed");
        }

        @Test
        void whenThePeerClosesTheFramesItSentArriveThenTheReadTrapsAndTheHandleIsReleased() throws Exception {
            Connected con = connected();
            con.client.send(b("last words"));
            con.client.close();
            assertThat(s(readFrame(con.net(), con.stream))).isEqualTo("last words");
            // Typed, not only worded: SDK 0.3 and later profiles turn exactly this failure into a sentinel.
            assertHostError(() -> readFrame(con.net(), con.stream)).hasMessage("stream " + con.stream + " was closed by the peer")
                    .matches(e -> ((HostException) e).isPeerClosed(), "reported with HostException.peerClosed");
            assertHostError(() -> con.net().netRead(b(con.stream))).hasMessage("stream handle " + con.stream + " is closed")
                    .matches(e -> !((HostException) e).isPeerClosed(), "a released handle is not a gone peer");
            con.net().netCloseStream(b(con.stream)); // closing it again is fine
        }

        @Test
        void aPeerThatLeavesInTheMiddleOfAFrameIsReported() throws Exception {
            Connected con = connected();
            con.client.sendRaw(Arrays.copyOf(frame(b("cut short")), 7));
            con.client.close();
            assertHostError(() -> readFrame(con.net(), con.stream)).hasMessage("stream " + con.stream
                    + " was closed by the peer in the middle of a frame (7 bytes of it had arrived)");
        }

        @Test
        void anEmptyFrameReadsAsEmpty() throws Exception {
            Connected con = connected();
            con.client.send(new byte[0]);
            con.client.send(b("after"));
            assertThat(con.net().netRead(b(con.stream))).isEmpty();
            assertThat(s(readFrame(con.net(), con.stream))).isEqualTo("after");
        }

        @Test
        void closedUnknownAndMalformedHandlesAreRefused() throws Exception {
            Connected con = connected();
            assertHostError(() -> con.net().netRead(b("7"))).hasMessage("unknown stream handle 7");
            assertHostError(() -> con.net().netRead(b(con.srv.listener))).hasMessage("handle " + con.srv.listener
                    + " is a listener, not a stream");
            for (String bad : new String[] {"", "-1", " 1", "1 ", "1.0", "0x1", "abc", "18446744073709551616"}) {
                assertHostError(() -> con.net().netRead(b(bad))).as("handle '%s'", bad).hasMessageStartingWith("invalid stream handle");
            }
            assertHostError(() -> con.net().netRead(new byte[1025])).hasMessage(PayloadLimits.tooLarge(1025, 1024));
            String padded = "0".repeat(1024 - con.stream.length()) + con.stream;
            con.client.send(b("padded"));
            assertThat(s(readFrame(con.net(), padded))).as("leading zeros up to 1024 bytes").isEqualTo("padded");
            con.client.send(b("plus"));
            assertThat(s(readFrame(con.net(), "+" + con.stream))).as("a leading + as Rust's u64 parser").isEqualTo("plus");
            con.net().netCloseStream(b(con.stream));
            assertHostError(() -> con.net().netRead(b(con.stream))).hasMessage("stream handle " + con.stream + " is closed");
        }

        @Test
        void anInterruptedCallTakesNothingOffTheStream() throws Exception {
            Connected con = connected();
            con.client.send(b("kept for the next call"));
            Thread.currentThread().interrupt();
            try {
                assertHostError(() -> con.net().netRead(b(con.stream))).hasMessageContaining("interrupted while waiting for a frame");
            } finally {
                Thread.interrupted();
            }
            assertThat(s(readFrame(con.net(), con.stream))).isEqualTo("kept for the next call");
        }
    }

    // ---- astrid_net_write ----------------------------------------------------------------------------

    /** {@code astrid_net_write}: one whole frame per call, or a trap. */
    @Nested
    class Write {
        @Test
        void sendsOneFramePerCall() throws Exception {
            Connected con = connected();
            con.net().netWrite(b(con.stream), b("one"));
            con.net().netWrite(b(con.stream), new byte[0]);
            con.net().netWrite(b(con.stream), b("three"));
            assertThat(s(con.client.receive())).isEqualTo("one");
            assertThat(con.client.receive()).isEmpty();
            assertThat(s(con.client.receive())).isEqualTo("three");
        }

        @Test
        void aFrameOfTenMebibytesIsSentWholeAndOneByteMoreIsRefused() throws Exception {
            Connected con = connected();
            byte[] payload = bytes(MAX_FRAME, 5);
            Background<byte[]> receive = inBackground("receive", con.client::receive);
            con.net().netWrite(b(con.stream), payload);
            assertThat(receive.get()).isEqualTo(payload);
            assertHostError(() -> con.net().netWrite(b(con.stream), new byte[MAX_FRAME + 1]))
                    .hasMessage(PayloadLimits.tooLarge(MAX_FRAME + 1, MAX_FRAME));
            con.net().netWrite(b(con.stream), b("still open"));
            assertThat(s(con.client.receive())).isEqualTo("still open");
        }

        @Test
        void writingToAPeerThatLeftTrapsAndReleasesTheStream() throws Exception {
            Connected con = connected();
            con.client.close();
            Throwable t = null;
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (t == null && System.nanoTime() - deadline < 0) {
                try {
                    con.net().netWrite(b(con.stream), b("anyone?"));
                } catch (HostException e) {
                    t = e;
                }
            }
            assertThat(t).isNotNull().hasMessageStartingWith("stream " + con.stream + ": the peer closed the connection")
                    .matches(e -> ((HostException) e).isPeerClosed(), "reported with HostException.peerClosed");
            assertHostError(() -> con.net().netWrite(b(con.stream), b("x"))).hasMessage("stream handle " + con.stream + " is closed");
        }

        @Test
        void aPeerThatTakesNothingEndsTheWriteAfterTheTimeoutAndTheStreamIsClosed() throws Exception {
            TestCapsule c = capsule("alpha", Map.of("net.write-timeout-ms", "50"), "*");
            NetFunctions net = bindNet(c);
            byte[] l = net.netBindUnix(b("s.sock"));
            Client client = connect(socketPath(c, "s.sock"));
            String stream = s(net.netAccept(l));
            byte[] big = new byte[1024 * 1024];
            assertHostError(() -> net.netWrite(b(stream), big)).hasMessageStartingWith("stream " + stream + ": the peer took ")
                    .hasMessageContaining("within 1074 ms; the stream is closed")
                    .matches(e -> !((HostException) e).isPeerClosed(), "a slow peer is not a gone peer");
            assertThat(client.seesEnd()).isTrue();
        }

        @Test
        void anInterruptedWriteThatSentPartOfAFrameClosesTheStream() throws Exception {
            Connected con = connected();
            Background<Void> write = inBackground("write", () -> {
                con.net().netWrite(b(con.stream), new byte[MAX_FRAME]);
                return null;
            });
            assertThat(ByteBuffer.wrap(con.client.receiveRaw(4)).getInt()).as("the frame started").isEqualTo(MAX_FRAME);
            write.thread().interrupt();
            assertThat(write.failure()).hasMessageStartingWith("interrupted while writing a frame on stream " + con.stream + " after ")
                    .hasMessageEndingWith("the stream is closed");
            assertThat(con.client.seesEnd()).isTrue();
            assertHostError(() -> con.net().netWrite(b(con.stream), b("x"))).hasMessage("stream handle " + con.stream + " is closed");
        }

        @Test
        void anInterruptBeforeTheWriteSendsNothingAndKeepsTheStream() throws Exception {
            Connected con = connected();
            Thread.currentThread().interrupt();
            try {
                assertHostError(() -> con.net().netWrite(b(con.stream), b("never sent")))
                        .hasMessage("interrupted while writing a frame on stream " + con.stream);
            } finally {
                Thread.interrupted();
            }
            con.net().netWrite(b(con.stream), b("sent"));
            assertThat(s(con.client.receive())).isEqualTo("sent");
        }

        @Test
        void badHandlesAreRefusedBeforeAnythingIsSent() throws Exception {
            Connected con = connected();
            assertHostError(() -> con.net().netWrite(b("42"), b("x"))).hasMessage("unknown stream handle 42");
            assertHostError(() -> con.net().netWrite(b(con.srv.listener), b("x"))).hasMessage("handle " + con.srv.listener
                    + " is a listener, not a stream");
            assertHostError(() -> con.net().netWrite(b("one"), b("x"))).hasMessageStartingWith("invalid stream handle");
            con.net().netWrite(b(con.stream), b("only this"));
            assertThat(s(con.client.receive())).isEqualTo("only this");
        }
    }

    // ---- astrid_net_close_stream ---------------------------------------------------------------------

    /** {@code astrid_net_close_stream}: releases the handle, idempotent for issued handles. */
    @Nested
    class CloseStream {
        @Test
        void closingReleasesTheHandleAndThePeerSeesTheEnd() throws Exception {
            Connected con = connected();
            con.net().netCloseStream(b(con.stream));
            assertThat(con.client.seesEnd()).isTrue();
            assertHostError(() -> con.net().netRead(b(con.stream))).hasMessage("stream handle " + con.stream + " is closed");
            assertHostError(() -> con.net().netWrite(b(con.stream), b("x"))).hasMessage("stream handle " + con.stream + " is closed");
            con.net().netCloseStream(b(con.stream));
        }

        @Test
        void handlesNeverIssuedListenersAndMalformedTextAreRefused() throws Exception {
            Connected con = connected();
            assertHostError(() -> con.net().netCloseStream(b("99"))).hasMessage("unknown stream handle 99");
            assertHostError(() -> con.net().netCloseStream(b(con.srv.listener))).hasMessageStartingWith("handle "
                    + con.srv.listener + " is a listener, not a stream");
            assertHostError(() -> con.net().netCloseStream(b("1e2"))).hasMessageStartingWith("invalid stream handle");
            con.net().netWrite(b(con.stream), b("unharmed"));
            assertThat(s(con.client.receive())).isEqualTo("unharmed");
        }

        @Test
        void handlesAreNeverReused() throws Exception {
            Served srv = serve();
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                connect(srv.socket);
                String h = s(srv.net.netAccept(b(srv.listener)));
                assertThat(seen).doesNotContain(h);
                seen.add(h);
                srv.net.netCloseStream(b(h));
            }
        }
    }

    // ---- unload --------------------------------------------------------------------------------------

    /** Unload: every stream and listener closed, socket files gone, later calls refused. */
    @Nested
    class Unload {
        @Test
        void unloadClosesEverythingAndRemovesTheSocketFiles() throws Exception {
            TestCapsule c = capsule("alpha", "*");
            NetFunctions net = bindNet(c);
            byte[] l = net.netBindUnix(b("a.sock"));
            net.netBindUnix(b("deep/er/b.sock"));
            Client client = connect(socketPath(c, "a.sock"));
            String stream = s(net.netAccept(l));
            unload(net);
            assertThat(client.seesEnd()).as("the client sees the end of the stream").isTrue();
            assertThat(socketPath(c, "a.sock")).doesNotExist();
            assertThat(socketPath(c, "deep/er/b.sock")).doesNotExist();
            assertThat(socketPath(c, "deep")).as("directories made for sockets are removed").doesNotExist();
            assertHostError(() -> net.netRead(b(stream))).hasMessage("the capsule is unloading");
            assertHostError(() -> net.netBindUnix(b("a.sock"))).hasMessage("the capsule is unloading");
            unload(net);

            NetFunctions again = bindNet(c);
            byte[] l2 = again.netBindUnix(b("a.sock"));
            connect(socketPath(c, "a.sock"));
            assertThat(isDecimal(again.netAccept(l2))).as("a new load of the capsule binds the name again").isTrue();
        }

        @Test
        void closingTheProviderClosesTheBindingsStillOpen() throws Exception {
            TestCapsule c = capsule("alpha", "*");
            NetFunctions net = bind(c);
            byte[] l = net.netBindUnix(b("a.sock"));
            Client client = connect(socketPath(c, "a.sock"));
            net.netAccept(l);
            provider.close();
            assertThat(client.seesEnd()).isTrue();
            assertThat(socketPath(c, "a.sock")).doesNotExist();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
