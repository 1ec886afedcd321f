package dev.astrid.reference.security;

import com.google.gson.JsonParser;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.Guests;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.TestHosts;
import dev.astrid.reference.capsule.StateNamespace;
import dev.astrid.host.kv.SealedSecretStore;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.AbiFunction;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The world the fuzzer attacks: two hosts (workspace writes direct, and overlaid) in one temporary
 * directory, each with a workspace full of traps (links out of it, into the data directory, in a
 * loop, dangling), a sibling directory {@code outside} that nothing may touch, and markers (a file
 * outside, a secret, another capsule's KV value, a file in the data directory) that no output may
 * ever contain. It also takes the baselines (threads, open files, the trees that must not change)
 * that the end of a run is compared with.
 */
final class FuzzWorld implements AutoCloseable, Inputs.Known {
    /** The capsules the fuzzer calls through. */
    enum Target {
        /** Every capability, workspace writes direct. */
        FULL,
        /** No capability at all, same host. */
        BARE,
        /** Every capability, workspace writes overlaid. */
        OVERLAY
    }

    /** Timeout of a call that cannot block. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** Timeout of a call that may legitimately wait (ipc_recv with a long timeout). */
    static final Duration BLOCKING_CALL_TIMEOUT = Duration.ofMillis(300);
    /** How much later than its timeout a call may come back before it counts as hung. */
    static final Duration GRACE = Duration.ofSeconds(30);

    /** The one socket name the capsules with every capability may bind; bound (as listener 1) before the baselines. */
    static final String NET_BIND = "sock";

    /** Names in the seeded workspaces that a guest path can meet. */
    static final List<String> SEEDED_NAMES = List.of("file.txt", "sub", "sub/inner.txt", "sub/deeper", "empty-dir",
            "big.bin", "link-out", "link-rel-out", "link-secret", "link-data", "link-loop", "link-dangling", "link-in",
            "link-abs-in", "link-up");

    final Path root;
    final Path outside;
    final Map<Target, LoadedCapsule> targets = new LinkedHashMap<>();
    final List<String> markers = new ArrayList<>();
    final DriverCall calls = new DriverCall();
    final List<String> severe = new CopyOnWriteArrayList<>();
    private final List<AstridHost> hosts = new ArrayList<>();
    private final List<Path> workspaces = new ArrayList<>();
    private final List<Path> dataDirs = new ArrayList<>();
    private final List<String> userIds = new CopyOnWriteArrayList<>();
    private final List<String> sessionIds = new CopyOnWriteArrayList<>();
    private final List<String> uplinkIds = new CopyOnWriteArrayList<>();
    private final Logger astridLogger = Logger.getLogger("astrid");
    private final Logger capsuleLogger = Logger.getLogger("astrid.capsule");
    private final boolean capsuleLoggerUsedParents;
    private final Handler severeCapture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
                severe.add(r.getLoggerName() + ": " + r.getMessage() + (r.getThrown() == null ? "" : " (" + r.getThrown() + ")"));
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private Set<Long> threadBaseline;
    private Map<Integer, String> fdBaseline;
    private Map<String, String> outsideBefore;
    private final Map<Path, Map<String, String>> dataBefore = new LinkedHashMap<>();

    FuzzWorld() throws IOException {
        // Guests log whatever the fuzzer makes them log: keep it off the console, but keep the host's own errors.
        capsuleLoggerUsedParents = capsuleLogger.getUseParentHandlers();
        capsuleLogger.setUseParentHandlers(false);
        astridLogger.addHandler(severeCapture);
        root = Files.createTempDirectory("astrid-fuzz").toRealPath();
        outside = Files.createDirectories(root.resolve("outside"));
        String outsideMarker = marker("OUTSIDE");
        Files.writeString(outside.resolve("secret.txt"), outsideMarker);
        Files.createDirectories(outside.resolve("dir"));
        Files.writeString(outside.resolve("dir/inner.txt"), outsideMarker);
        try {
            start(root.resolve("direct"), "direct", Target.FULL, Target.BARE);
            start(root.resolve("overlay"), "overlay", Target.OVERLAY);
            warmUp();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private String marker(String what) {
        String m = what + "-MARKER-" + UUID.randomUUID();
        markers.add(m);
        return m;
    }

    private void start(Path dir, String mode, Target... kinds) throws IOException {
        Path data = dir.resolve("data");
        Path ws = dir.resolve("ws");
        Files.createDirectories(data);
        Files.createDirectories(ws);
        workspaces.add(ws);
        dataDirs.add(data);
        Files.writeString(data.resolve("host-only.txt"), marker("DATA"));
        try (SealedSecretStore s = TestHosts.secrets(dir)) {
            for (String name : List.of("fuzz-full", "fuzz-bare", "fuzz-overlay", "victim")) {
                s.put(StateNamespace.capsule(name), "api_key", marker("SECRET").getBytes(StandardCharsets.UTF_8));
            }
        }
        seed(ws);
        AstridHost host = AstridHost.start(TestHosts.config(dir, false).setting("fs.mode", mode)
                .config("greeting", "hello").build());
        hosts.add(host);
        for (Target t : kinds) {
            String name = t == Target.BARE ? "fuzz-bare" : t == Target.FULL ? "fuzz-full" : "fuzz-overlay";
            CapsuleManifest m = CapsuleManifest.bare(name);
            if (t != Target.BARE) {
                m = m.withCapabilities(everything()).withUplinks(List.of(new CapsuleManifest.Uplink("fuzz", "discord", "chat")));
            }
            Optional<Path> capsuleDir = t == Target.BARE ? Optional.empty()
                    : Optional.of(Files.createDirectories(dir.resolve("capsules").resolve(name)));
            targets.put(t, host.load(m, Guests.bytes("abi-driver"), capsuleDir));
        }
        // A capsule whose KV value must never reach another, and one that answers hooks and IPC interceptors.
        LoadedCapsule victim = host.load(CapsuleManifest.bare("victim"), Guests.bytes("abi-driver"), Optional.empty());
        expectOk(victim, AbiFunction.KV_SET, "k", marker("KV"));
        expectOk(victim, AbiFunction.KV_SET, "greeting", marker("KV"));
        // The approvals database opens at the first request, as kv.db at the first KV call: open it
        // before the descriptor baseline, so that it is not counted as left open by the run.
        expectOk(victim, AbiFunction.REQUEST_APPROVAL, "{\"action\":\"warm\",\"resource\":\"up\",\"risk_level\":\"low\"}");
        host.load(CapsuleManifest.bare("hooked")
                .withCapabilities(Capabilities.builder().ipcSubscribe("fuzz.*", "*.*").build())
                .withInterceptors(List.of(new CapsuleManifest.Interceptor("fuzz.*", "echo"),
                        new CapsuleManifest.Interceptor("*.*", "any"))), Guests.bytes("kernel-probe"), Optional.empty());
        for (LoadedCapsule c : host.capsules()) {
            sessionIds.add(c.sessionId().toString());
        }
    }

    private static Capabilities everything() {
        List<String> anyTopic = new ArrayList<>();
        for (int n = 1; n <= 8; n++) {
            anyTopic.add(String.join(".", java.util.Collections.nCopies(n, "*")));
        }
        String[] topics = anyTopic.toArray(new String[0]);
        // One socket name only: a listener stays open until unload, so the one the warm-up binds is in the
        // descriptor baseline, and every later bind of it answers that listener instead of opening another.
        // Host processes: only harmless commands, so that the fuzzer runs real processes but nothing it chose.
        return Capabilities.builder().fsRead("*", "home://").fsWrite("*", "home://").ipcPublish(topics)
                .ipcSubscribe(topics).triggerHook(topics).identity("admin").allowPromptInjection(true)
                .netBind(NET_BIND).hostProcess("echo", "true").build();
    }

    /** Files, directories and links a guest path can meet, including every way out that must stay closed. */
    private void seed(Path ws) throws IOException {
        Files.writeString(ws.resolve("file.txt"), "hello");
        Files.createDirectories(ws.resolve("sub/deeper"));
        Files.writeString(ws.resolve("sub/inner.txt"), "inner");
        Files.createDirectories(ws.resolve("empty-dir"));
        try (RandomAccessFile f = new RandomAccessFile(ws.resolve("big.bin").toFile(), "rw")) {
            f.setLength(10L * 1024 * 1024 + 1); // one byte over the read limit, sparse
        }
        relink(ws);
    }

    private Map<String, Path> links(Path ws) {
        Map<String, Path> l = new LinkedHashMap<>();
        l.put("link-out", outside);
        l.put("link-rel-out", Path.of("../../outside"));
        l.put("link-secret", outside.resolve("secret.txt"));
        l.put("link-data", Path.of("../data"));
        l.put("link-loop", Path.of("link-loop"));
        l.put("link-dangling", Path.of("../../outside/missing"));
        l.put("link-in", Path.of("sub"));
        l.put("link-abs-in", ws.resolve("sub"));
        l.put("link-up", Path.of(".."));
        return l;
    }

    /** Puts back every seeded link the fuzzer removed or replaced, so later cases still meet them. */
    void relink(Path ws) throws IOException {
        for (Map.Entry<String, Path> e : links(ws).entrySet()) {
            Path p = ws.resolve(e.getKey());
            if (Files.isSymbolicLink(p) && Files.readSymbolicLink(p).equals(e.getValue())) {
                continue;
            }
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                deleteTree(p);
            }
            Files.createSymbolicLink(p, e.getValue());
        }
    }

    /** Puts back the seeded links of every workspace. */
    void relinkAll() {
        try {
            for (Path ws : workspaces) {
                relink(ws);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One call of every function with harmless arguments, so that lazily made threads and files exist before the baselines. */
    private void warmUp() {
        LoadedCapsule full = targets.get(Target.FULL);
        String created = new String(expectOk(full, AbiFunction.IDENTITY_CREATE_USER, "{\"display_name\":\"fuzz\"}"),
                StandardCharsets.UTF_8);
        userIds.add(JsonParser.parseString(created).getAsJsonObject().get("user_id").getAsString());
        String root = new String(expectOk(full, AbiFunction.IDENTITY_RESOLVE, "{\"platform\":\"cli\",\"platform_user_id\":\"local\"}"),
                StandardCharsets.UTF_8);
        userIds.add(JsonParser.parseString(root).getAsJsonObject().get("user_id").getAsString());
        for (Target t : List.of(Target.FULL, Target.OVERLAY)) {
            uplinkIds.add(new String(expectOk(targets.get(t), AbiFunction.UPLINK_REGISTER, "fuzz", "discord", "chat"),
                    StandardCharsets.UTF_8));
            expectOk(targets.get(t), AbiFunction.IPC_SUBSCRIBE, "fuzz.*");
            String listener = new String(expectOk(targets.get(t), AbiFunction.NET_BIND_UNIX, NET_BIND), StandardCharsets.UTF_8);
            if (!listener.equals("1")) {
                throw new IllegalStateException("the first listener of " + t + " is " + listener + ", not 1");
            }
            expectOk(targets.get(t), AbiFunction.IPC_PUBLISH, "fuzz.warm", "{\"warm\":true}");
        }
        for (LoadedCapsule c : targets.values()) {
            for (AbiFunction fn : AbiFunction.values()) {
                byte[][] args = new byte[fn.paramCount()][];
                java.util.Arrays.fill(args, "x".getBytes(StandardCharsets.UTF_8));
                calls.call(c, fn, args, CALL_TIMEOUT, GRACE);
            }
        }
    }

    private byte[] expectOk(LoadedCapsule c, AbiFunction fn, String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        DriverCall.Outcome o = calls.call(c, fn, bytes, CALL_TIMEOUT, GRACE);
        if (!o.ok()) {
            throw new IllegalStateException("setting up the fuzz world: " + fn.symbol() + " failed: "
                    + (o.failure() != null ? o.failure().getMessage() : o.hung() ? "hung" : String.valueOf(o.unexpected())));
        }
        return o.output();
    }

    /** Takes the baselines the end of the run is compared with. */
    void baseline() {
        threadBaseline = Probes.threadIds();
        fdBaseline = Probes.openFds();
        outsideBefore = sandboxOutside();
        for (Path d : dataDirs) {
            dataBefore.put(d, hostState(d));
        }
    }

    /** Takes the sandbox baseline again after a reported change, so that one escape is reported once. */
    void rebaselineSandbox() {
        outsideBefore = sandboxOutside();
        dataBefore.replaceAll((d, before) -> hostState(d));
    }

    /** The outside directory and the names around the two host directories. */
    Map<String, String> sandboxOutside() {
        Map<String, String> m = new LinkedHashMap<>(Probes.tree(outside, p -> false));
        for (Path dir : List.of(root, root.resolve("direct"), root.resolve("overlay"))) {
            try (var s = Files.list(dir)) {
                s.forEach(p -> m.put("[" + root.relativize(dir) + "] " + p.getFileName(), "entry"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return m;
    }

    /**
     * The data directory as far as no capsule may change it: everything but the shared home root,
     * the per-capsule directories (overlay upper layers) and the databases the providers write.
     */
    static Map<String, String> hostState(Path data) {
        return Probes.tree(data, rel -> {
            String first = rel.getNameCount() == 0 ? "" : rel.getName(0).toString();
            String name = rel.getFileName() == null ? "" : rel.getFileName().toString();
            return first.equals("home") || first.equals("capsules")
                    || (rel.getNameCount() == 1 && name.matches(".*\\.db(-wal|-shm|-journal|\\.lock)?"));
        });
    }

    /** Differences from the baseline in the trees no capsule may change; empty when none. */
    String sandboxChanges() {
        StringBuilder sb = new StringBuilder(Probes.diff(outsideBefore, sandboxOutside()));
        for (Map.Entry<Path, Map<String, String>> e : dataBefore.entrySet()) {
            String d = Probes.diff(e.getValue(), hostState(e.getKey()));
            if (!d.isEmpty()) {
                sb.append("in ").append(root.relativize(e.getKey())).append(":\n").append(d);
            }
        }
        return sb.toString();
    }

    /** Threads started during the run that did not end within a few seconds after it. */
    List<String> leakedThreads() throws InterruptedException {
        return Probes.threadsLeftSince(threadBaseline, Duration.ofSeconds(10));
    }

    /**
     * What the descriptors opened during the run and still open a few seconds after it point to
     * (compared as a multiset of targets, since numbers are reused); empty when none is left.
     */
    List<String> leakedFds() {
        List<String> left = new ArrayList<>();
        Probes.await(Duration.ofSeconds(10), () -> {
            left.clear();
            left.addAll(Probes.opened(fdBaseline, Probes.openFds()));
            return left.isEmpty();
        });
        return left;
    }

    /** Whether the family of a function has a provider on the hosts. */
    boolean provided(AbiFunction fn) {
        return hosts.get(0).boundProviders().containsKey(fn.family());
    }

    /** The families without a provider, for messages. */
    Set<Family> unprovidedFamilies() {
        Set<Family> s = java.util.EnumSet.allOf(Family.class);
        s.removeAll(hosts.get(0).boundProviders().keySet());
        return s;
    }

    @Override
    public List<String> userIds() {
        return userIds;
    }

    @Override
    public List<String> sessionIds() {
        return sessionIds;
    }

    @Override
    public List<String> uplinkIds() {
        return uplinkIds;
    }

    /** Absolute paths of this world a guest may name in a path: the outside files and the data directories. */
    @Override
    public List<String> hostPaths() {
        List<String> l = new ArrayList<>(List.of(outside.toString(), outside.resolve("secret.txt").toString()));
        for (Path d : dataDirs) {
            l.add(d.toString());
            l.add(d.resolve("host-only.txt").toString());
            l.add(d.resolve("secrets.db").toString());
        }
        for (Path ws : workspaces) {
            l.add(ws.resolve("file.txt").toString());
        }
        return l;
    }

    @Override
    public void close() {
        calls.close();
        for (AstridHost h : hosts) {
            h.close();
        }
        astridLogger.removeHandler(severeCapture);
        capsuleLogger.setUseParentHandlers(capsuleLoggerUsedParents);
        try {
            deleteTree(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
