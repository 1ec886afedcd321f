package dev.astrid.host.tck;

import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.CapsuleHandle;
import dev.astrid.host.spi.CapsuleRegistry;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.UplinkConsumer;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.host.spi.services.Interaction;
import dev.astrid.host.spi.services.SecretStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

/**
 * A {@link CapsuleContext} for testing providers without a wasm engine: real directories, a
 * manifest you choose, and calls back into the "capsule" answered by a Java function.
 *
 * <p>Capsules made from one {@link Host} see each other in {@link CapsuleContext#capsules()}.
 */
public final class TestCapsule implements CapsuleContext, CapsuleHandle {

    /** A group of test capsules that share a data directory, a workspace and a registry. */
    public static final class Host implements CapsuleRegistry {
        private final Path dataDir;
        private final Path workspace;
        private final List<TestCapsule> capsules = new CopyOnWriteArrayList<>();

        /** A host rooted in a directory; creates {@code data} and {@code workspace} inside it. */
        public Host(Path root) {
            this(root.resolve("data"), root.resolve("workspace"));
        }

        /**
         * A host with its data directory and workspace where the test puts them, for example one
         * inside the other; creates both.
         */
        public Host(Path dataDir, Path workspace) {
            this.dataDir = mkdirs(dataDir);
            this.workspace = mkdirs(workspace);
        }

        /** The shared data directory. */
        public Path dataDir() {
            return dataDir;
        }

        /** The shared workspace. */
        public Path workspace() {
            return workspace;
        }

        /** Starts a capsule with an id; nothing is registered until {@link Builder#build()}. */
        public Builder capsule(String id) {
            return new Builder(this, id);
        }

        @Override
        public List<CapsuleHandle> all() {
            return new ArrayList<>(capsules);
        }

        @Override
        public Optional<CapsuleHandle> byId(String capsuleId) {
            return capsules.stream().filter(c -> c.id().equals(capsuleId)).map(c -> (CapsuleHandle) c).findFirst();
        }

        @Override
        public Optional<CapsuleHandle> bySession(UUID sessionId) {
            return capsules.stream().filter(c -> c.sessionId().equals(sessionId)).map(c -> (CapsuleHandle) c).findFirst();
        }
    }

    /** Configures a {@link TestCapsule}. */
    public static final class Builder {
        private final Host host;
        private CapsuleManifest manifest;
        private Map<String, String> config = Map.of();
        private ProviderSettings settings = ProviderSettings.empty();
        private Clock clock = Clock.systemUTC();
        private BiFunction<String, byte[], byte[]> exports = (name, in) -> {
            throw new GuestCallException(GuestCallException.Kind.NO_SUCH_EXPORT, "no export " + name);
        };
        private List<String> exportNames = List.of();
        private UplinkConsumer uplinks = UplinkConsumer.NONE;
        private String stateNamespace;
        private SecretStore secrets = SecretStore.NONE;
        private Interaction interaction = Interaction.NONE;
        private System.Logger logger;

        private Builder(Host host, String id) {
            this.host = host;
            this.manifest = CapsuleManifest.bare(id);
        }

        /** Sets the capabilities. */
        public Builder capabilities(Capabilities caps) {
            this.manifest = manifest.withCapabilities(caps);
            return this;
        }

        /** Sets the whole manifest (its name becomes the id). */
        public Builder manifest(CapsuleManifest m) {
            this.manifest = m;
            return this;
        }

        /** Sets the resolved configuration. */
        public Builder config(Map<String, String> c) {
            this.config = Map.copyOf(c);
            return this;
        }

        /** Sets provider settings. */
        public Builder settings(ProviderSettings s) {
            this.settings = s;
            return this;
        }

        /** Sets the clock. */
        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        /** Answers calls back into the capsule with a function of (export, input). */
        public Builder exports(List<String> names, BiFunction<String, byte[], byte[]> fn) {
            this.exportNames = List.copyOf(names);
            this.exports = fn;
            return this;
        }

        /** Sets where uplink messages go. */
        public Builder uplinkConsumer(UplinkConsumer consumer) {
            this.uplinks = consumer;
            return this;
        }

        /** Sets the state namespace (default {@code capsule:<id>}), as a host does for a bare module. */
        public Builder stateNamespace(String ns) {
            this.stateNamespace = ns;
            return this;
        }

        /** Sets the host's secret store (default {@link SecretStore#NONE}). */
        public Builder secrets(SecretStore store) {
            this.secrets = store;
            return this;
        }

        /** Sets how a person is asked (default {@link Interaction#NONE}). */
        public Builder interaction(Interaction i) {
            this.interaction = i;
            return this;
        }

        /** Sets the capsule's logger (default the {@code System.Logger} named {@code astrid.test.<id>}). */
        public Builder logger(System.Logger l) {
            this.logger = l;
            return this;
        }

        /** Creates the capsule and registers it with its host. */
        public TestCapsule build() {
            TestCapsule c = new TestCapsule(this);
            host.capsules.add(c);
            return c;
        }
    }

    private final Host host;
    private final UUID sessionId = UUID.randomUUID();
    private final CapsuleManifest manifest;
    private final Map<String, String> config;
    private final ProviderSettings settings;
    private final Clock clock;
    private final BiFunction<String, byte[], byte[]> exports;
    private final List<String> exportNames;
    private final UplinkConsumer uplinks;
    private final String stateNamespace;
    private final SecretStore secrets;
    private final Interaction interaction;
    private final System.Logger logger;
    private final Path capsuleDataDir;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean loaded = new AtomicBoolean(true);
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<Duration> callTimeouts = new CopyOnWriteArrayList<>();
    private volatile Invocation invocation = Invocation.NONE;

    private TestCapsule(Builder b) {
        this.host = b.host;
        this.manifest = b.manifest;
        this.config = b.config;
        this.settings = b.settings;
        this.clock = b.clock;
        this.exports = b.exports;
        this.exportNames = b.exportNames;
        this.uplinks = b.uplinks;
        this.secrets = b.secrets;
        this.interaction = b.interaction;
        this.logger = b.logger == null ? System.getLogger("astrid.test." + manifest.name()) : b.logger;
        this.stateNamespace = b.stateNamespace == null ? "capsule:" + manifest.name() : b.stateNamespace;
        this.capsuleDataDir = mkdirs(host.dataDir.resolve("capsules").resolve(manifest.name()));
    }

    private static Path mkdirs(Path p) {
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets what {@link #currentInvocation()} answers, as if the host were running that call. */
    public void setInvocation(Invocation inv) {
        this.invocation = inv;
    }

    /** Marks the capsule unloaded: {@link #isLoaded()} turns false and it leaves the registry. */
    public void unload() {
        loaded.set(false);
        host.capsules.remove(this);
    }

    /** The calls made back into this capsule, as {@code export:input}, in order. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    /** The timeout each call back into this capsule was given, in the order of {@link #calls()}. */
    public List<Duration> callTimeouts() {
        return List.copyOf(callTimeouts);
    }

    @Override public String capsuleId() { return manifest.name(); }
    @Override public String id() { return manifest.name(); }
    @Override public String stateNamespace() { return stateNamespace; }
    @Override public UUID sessionId() { return sessionId; }
    @Override public CapsuleManifest manifest() { return manifest; }
    @Override public Map<String, String> config() { return config; }
    @Override public ProviderSettings settings() { return settings; }
    @Override public Path hostDataDir() { return host.dataDir; }
    @Override public Path capsuleDataDir() { return capsuleDataDir; }
    @Override public Path workspace() { return host.workspace; }
    @Override public Clock clock() { return clock; }
    @Override public System.Logger logger() { return logger; }
    @Override public CapsuleHandle self() { return this; }
    @Override public CapsuleRegistry capsules() { return host; }
    @Override public Invocation currentInvocation() { return invocation; }
    @Override public void markReady() { ready.set(true); }
    @Override public UplinkConsumer uplinkConsumer() { return uplinks; }
    @Override public SecretStore secrets() { return secrets; }
    @Override public Interaction interaction() { return interaction; }
    @Override public boolean hasExport(String export) { return exportNames.contains(export); }
    @Override public boolean isLoaded() { return loaded.get(); }
    @Override public boolean isReady() { return ready.get(); }

    @Override
    public synchronized byte[] call(String export, byte[] input, Invocation.Caller caller, Duration timeout) {
        if (!loaded.get()) {
            throw new GuestCallException(GuestCallException.Kind.UNLOADED, "capsule " + id() + " is unloaded");
        }
        calls.add(export + ":" + new String(input, java.nio.charset.StandardCharsets.UTF_8));
        callTimeouts.add(timeout);
        Invocation previous = invocation;
        invocation = new Invocation(export, caller);
        try {
            return exports.apply(export, input);
        } finally {
            invocation = previous;
        }
    }
}
