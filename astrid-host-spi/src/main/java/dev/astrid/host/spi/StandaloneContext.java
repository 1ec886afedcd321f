package dev.astrid.host.spi;

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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A {@link CapsuleContext} for using one family's provider on its own, in-process, without the
 * reference host: the capsule is a plain Java caller with no wasm module behind it.
 *
 * <pre>{@code
 * CapsuleContext ctx = StandaloneContext.builder()
 *         .capsuleId("tool")
 *         .dataDir(Path.of("state"))
 *         .workspace(Path.of("project"))
 *         .capabilities(Capabilities.builder().fsRead("*").build())
 *         .build();
 * FsFunctions fs = new FsProvider().bind(ctx);
 * }</pre>
 *
 * <p>The capsule is alone on its host: {@link #capsules()} holds only itself, it has no exports
 * (a provider that calls back into it gets a {@link GuestCallException} of kind
 * {@link GuestCallException.Kind#NO_SUCH_EXPORT}), and its uplink messages go nowhere unless
 * {@link Builder#uplinkConsumer(UplinkConsumer)} says otherwise.
 */
public final class StandaloneContext implements CapsuleContext {
    private final CapsuleManifest manifest;
    private final String stateNamespace;
    private final UUID sessionId = UUID.randomUUID();
    private final Map<String, String> config;
    private final ProviderSettings settings;
    private final Path dataDir;
    private final Path capsuleDataDir;
    private final Path workspace;
    private final Clock clock;
    private final System.Logger logger;
    private final UplinkConsumer uplinks;
    private final SecretStore secrets;
    private final Interaction interaction;
    private final Supplier<Invocation> invocation;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final Self self = new Self();

    private StandaloneContext(Builder b) {
        this.manifest = b.capabilities == null ? b.manifest : b.manifest.withCapabilities(b.capabilities);
        this.stateNamespace = b.stateNamespace == null ? "capsule:" + manifest.name() : b.stateNamespace;
        this.config = Map.copyOf(b.config);
        this.settings = b.settings;
        this.secrets = b.secrets;
        this.interaction = b.interaction;
        this.invocation = b.invocation;
        this.dataDir = mkdirs(b.dataDir);
        // The same layout as the reference host: capsule:<name> under capsules/, module:<sha> under modules/.
        int colon = stateNamespace.indexOf(':');
        String kind = stateNamespace.substring(0, colon);
        this.capsuleDataDir = mkdirs(dataDir.resolve(kind.equals("module") ? "modules" : "capsules")
                .resolve(stateNamespace.substring(colon + 1)));
        this.workspace = mkdirs(b.workspace == null ? dataDir.resolve("workspace") : b.workspace);
        this.clock = b.clock;
        this.logger = System.getLogger("astrid.capsule." + manifest.name());
        this.uplinks = b.uplinks;
    }

    /** Starts a context; {@link Builder#capsuleId(String)} and {@link Builder#dataDir(Path)} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@link #markReady()} was called. */
    public boolean isReady() {
        return ready.get();
    }

    @Override public String capsuleId() { return manifest.name(); }
    @Override public String stateNamespace() { return stateNamespace; }
    @Override public UUID sessionId() { return sessionId; }
    @Override public CapsuleManifest manifest() { return manifest; }
    @Override public Map<String, String> config() { return config; }
    @Override public ProviderSettings settings() { return settings; }
    @Override public Path hostDataDir() { return dataDir; }
    @Override public Path capsuleDataDir() { return capsuleDataDir; }
    @Override public Path workspace() { return workspace; }
    @Override public Clock clock() { return clock; }
    @Override public System.Logger logger() { return logger; }
    @Override public CapsuleHandle self() { return self; }
    @Override public Invocation currentInvocation() { return invocation.get(); }
    @Override public SecretStore secrets() { return secrets; }
    @Override public Interaction interaction() { return interaction; }
    @Override public void markReady() { ready.set(true); }
    @Override public UplinkConsumer uplinkConsumer() { return uplinks; }

    @Override
    public CapsuleRegistry capsules() {
        return new CapsuleRegistry() {
            @Override
            public List<CapsuleHandle> all() {
                return List.of(self);
            }

            @Override
            public Optional<CapsuleHandle> byId(String capsuleId) {
                return capsuleId.equals(manifest.name()) ? Optional.of(self) : Optional.empty();
            }

            @Override
            public Optional<CapsuleHandle> bySession(UUID id) {
                return id.equals(sessionId) ? Optional.of(self) : Optional.empty();
            }
        };
    }

    private static Path mkdirs(Path p) {
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory " + p, e);
        }
    }

    /** The capsule as other providers see it: no exports to call back. */
    private final class Self implements CapsuleHandle {
        @Override public String id() { return manifest.name(); }
        @Override public UUID sessionId() { return sessionId; }
        @Override public CapsuleManifest manifest() { return manifest; }
        @Override public boolean hasExport(String export) { return false; }
        @Override public boolean isLoaded() { return true; }
        @Override public boolean isReady() { return ready.get(); }

        @Override
        public byte[] call(String export, byte[] input, Invocation.Caller caller, Duration timeout) {
            throw new GuestCallException(GuestCallException.Kind.NO_SUCH_EXPORT,
                    "capsule " + manifest.name() + " is a standalone context with no exports; it has no " + export);
        }
    }

    /** Configures a {@link StandaloneContext}. */
    public static final class Builder {
        private CapsuleManifest manifest;
        private Capabilities capabilities;
        private String stateNamespace;
        private Map<String, String> config = Map.of();
        private ProviderSettings settings = ProviderSettings.empty();
        private Path dataDir;
        private Path workspace;
        private Clock clock = Clock.systemUTC();
        private UplinkConsumer uplinks = UplinkConsumer.NONE;
        private SecretStore secrets = SecretStore.NONE;
        private Interaction interaction = Interaction.NONE;
        private Supplier<Invocation> invocation = () -> Invocation.NONE;

        private Builder() {
        }

        /**
         * The capsule's id, used for its state namespace ({@code capsule:<id>}) and its data
         * directory ({@code <dataDir>/capsules/<id>}); a single path segment. Starts a bare
         * manifest of that name with no capabilities.
         */
        public Builder capsuleId(String id) {
            this.manifest = CapsuleManifest.bare(Objects.requireNonNull(id, "capsuleId"));
            return this;
        }

        /** The whole manifest, instead of {@link #capsuleId(String)}; its name becomes the id. */
        public Builder manifest(CapsuleManifest m) {
            this.manifest = Objects.requireNonNull(m, "manifest");
            return this;
        }

        /** The capabilities the capsule holds (default: those of the manifest, none for a bare one). */
        public Builder capabilities(Capabilities caps) {
            this.capabilities = Objects.requireNonNull(caps, "capabilities");
            return this;
        }

        /** The host data directory (databases, the capsule's own directory); created if missing. Required. */
        public Builder dataDir(Path dir) {
            this.dataDir = Objects.requireNonNull(dir, "dataDir");
            return this;
        }

        /** The workspace the capsule works on; created if missing. Default: {@code <dataDir>/workspace}. */
        public Builder workspace(Path dir) {
            this.workspace = Objects.requireNonNull(dir, "workspace");
            return this;
        }

        /** Provider settings, such as {@code fs.mode=direct} or {@code kv.max-keys=1000}. */
        public Builder settings(ProviderSettings s) {
            this.settings = Objects.requireNonNull(s, "settings");
            return this;
        }

        /** Provider settings from a map. */
        public Builder settings(Map<String, String> s) {
            return settings(ProviderSettings.of(s));
        }

        /** The capsule's resolved configuration (its {@code [env]} values). Default: empty. */
        public Builder config(Map<String, String> c) {
            this.config = Map.copyOf(c);
            return this;
        }

        /**
         * The state namespace, {@code capsule:<name>} (the default) or {@code module:<sha256>}, as
         * the reference host gives a bare module.
         */
        public Builder stateNamespace(String ns) {
            Objects.requireNonNull(ns, "stateNamespace");
            int colon = ns.indexOf(':');
            String kind = colon < 0 ? "" : ns.substring(0, colon);
            String rest = colon < 0 ? "" : ns.substring(colon + 1);
            if (!(kind.equals("capsule") || kind.equals("module")) || !isSegment(rest)) {
                throw new IllegalArgumentException("stateNamespace must be capsule:<name> or module:<sha256>, got '"
                        + PrintableText.escape(ns) + "'");
            }
            this.stateNamespace = ns;
            return this;
        }

        /** The clock providers use. Default: {@link Clock#systemUTC()}. */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** Where uplink messages go. Default: {@link UplinkConsumer#NONE}. */
        public Builder uplinkConsumer(UplinkConsumer consumer) {
            this.uplinks = Objects.requireNonNull(consumer, "uplinkConsumer");
            return this;
        }

        /** The host's secret store. Default: {@link SecretStore#NONE}. */
        public Builder secrets(SecretStore store) {
            this.secrets = Objects.requireNonNull(store, "secrets");
            return this;
        }

        /** How a person is asked. Default: {@link Interaction#NONE}. */
        public Builder interaction(Interaction i) {
            this.interaction = Objects.requireNonNull(i, "interaction");
            return this;
        }

        /**
         * What {@link CapsuleContext#currentInvocation()} answers, asked on every call; e.g. an
         * install call, for a family that works only then. Default: {@link Invocation#NONE}.
         */
        public Builder invocation(Supplier<Invocation> current) {
            this.invocation = Objects.requireNonNull(current, "invocation");
            return this;
        }

        /**
         * Creates the context and its directories.
         *
         * @throws IllegalStateException if the capsule id or the data directory is not set
         * @throws UncheckedIOException if a directory cannot be created
         */
        public StandaloneContext build() {
            if (manifest == null) {
                throw new IllegalStateException("StandaloneContext: set capsuleId(..) or manifest(..)");
            }
            if (dataDir == null) {
                throw new IllegalStateException("StandaloneContext: set dataDir(..)");
            }
            if (!isSegment(manifest.name())) {
                throw new IllegalArgumentException("StandaloneContext: the capsule id must be one path segment, got '"
                        + PrintableText.escape(manifest.name()) + "'");
            }
            return new StandaloneContext(this);
        }

        private static boolean isSegment(String s) {
            return !s.isEmpty() && !s.equals(".") && !s.equals("..") && !s.contains("/") && !s.contains("\\")
                    && s.indexOf(0) < 0;
        }
    }
}
