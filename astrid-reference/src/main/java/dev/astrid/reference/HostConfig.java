package dev.astrid.reference;

import dev.astrid.host.spi.services.Interaction;
import dev.astrid.host.spi.services.SecretStore;
import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.spi.UplinkConsumer;
import dev.astrid.engine.EngineOptions;
import dev.astrid.engine.KernelLog;
import dev.astrid.engine.ModuleCache;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.SdkProfile;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything an {@link AstridHost} is started with. Every field has a default; see the builder.
 */
public final class HostConfig {
    private final Path dataDir;
    private final Path workspace;
    private final EngineOptions engine;
    private final Map<Family, String> providerChoices;
    private final Map<String, String> providerSettings;
    private final Map<String, String> config;
    private final List<String> allowedHosts;
    private final Duration callTimeout;
    private final Duration readyTimeout;
    private final Duration installTimeout;
    private final boolean wasi;
    private final OutputStream wasiOutput;
    private final int logLevel;
    private final UplinkConsumer uplinkConsumer;
    private final List<HostProvider> extraProviders;
    private final boolean discoverProviders;
    private final SecretStore secretStore;
    private final Interaction interaction;
    private final SdkProfile profile;
    private final Map<String, SdkProfile> capsuleProfiles;
    private final int instancePool;
    private final Map<String, Integer> instancePools;

    private HostConfig(Builder b) {
        this.dataDir = b.dataDir.toAbsolutePath().normalize();
        this.workspace = b.workspace.toAbsolutePath().normalize();
        this.engine = !b.moduleCache || b.moduleCacheMaxBytes == 0 ? b.engine.withCache(null)
                : b.engine.cache() != null ? b.engine : b.engine.withCache(defaultModuleCache(dataDir, b.moduleCacheMaxBytes));
        this.providerChoices = Map.copyOf(b.providerChoices);
        this.providerSettings = Map.copyOf(b.providerSettings);
        this.config = Map.copyOf(b.config);
        this.allowedHosts = List.copyOf(b.allowedHosts);
        this.callTimeout = b.callTimeout;
        this.readyTimeout = b.readyTimeout;
        this.installTimeout = b.installTimeout;
        this.wasi = b.wasi;
        this.wasiOutput = b.wasiOutput;
        this.logLevel = b.logLevel;
        this.uplinkConsumer = b.uplinkConsumer;
        this.extraProviders = List.copyOf(b.extraProviders);
        this.discoverProviders = b.discoverProviders;
        this.secretStore = b.secretStore;
        this.interaction = b.interaction;
        this.profile = b.profile;
        this.capsuleProfiles = Map.copyOf(b.capsuleProfiles);
        this.instancePool = b.instancePool;
        this.instancePools = Map.copyOf(b.instancePools);
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The data directory used when none is given: {@code $XDG_STATE_HOME/astrid}, or
     * {@code ~/.local/state/astrid} when that variable is unset, empty or not an absolute path (as
     * the XDG base directory specification says). It is outside any workspace, so capsules never
     * reach the host's state through their file functions.
     */
    public static Path defaultDataDir() {
        return defaultDataDir(System.getenv("XDG_STATE_HOME"), System.getProperty("user.home"));
    }

    static Path defaultDataDir(String xdgStateHome, String userHome) {
        if (xdgStateHome != null && !xdgStateHome.isEmpty()) {
            try {
                Path state = Path.of(xdgStateHome);
                if (state.isAbsolute()) {
                    return state.resolve("astrid");
                }
            } catch (java.nio.file.InvalidPathException e) {
                // not a usable path: fall back like an unset variable
            }
        }
        return Path.of(userHome, ".local", "state", "astrid");
    }

    /**
     * The module cache a host with this data directory uses unless told otherwise: entries in
     * {@code <data-dir>/cache/modules/}, sealed with the key in {@code <data-dir>/cache/module-cache.key}.
     */
    public static ModuleCache defaultModuleCache(Path dataDir, long maxBytes) {
        Path cache = dataDir.toAbsolutePath().normalize().resolve("cache");
        return new ModuleCache(cache.resolve("modules"), cache.resolve("module-cache.key"), maxBytes);
    }

    /** The host data directory (databases, per-capsule state, the shared home root); never inside the workspace. */
    public Path dataDir() { return dataDir; }
    /** The workspace capsules work on. */
    public Path workspace() { return workspace; }
    /** Engine options, with the module cache this host uses (none when it is turned off). */
    public EngineOptions engine() { return engine; }
    /** Provider names chosen per family. */
    public Map<Family, String> providerChoices() { return providerChoices; }
    /** Settings handed to every provider. */
    public Map<String, String> providerSettings() { return providerSettings; }
    /** Configuration values that override every capsule's {@code [env]} defaults. */
    public Map<String, String> config() { return config; }
    /** Host globs the Extism {@code http_request} import may reach. */
    public List<String> allowedHosts() { return allowedHosts; }
    /** Timeout of on-demand calls; zero for none. */
    public Duration callTimeout() { return callTimeout; }
    /** How long to wait for a run loop's readiness before starting the next capsule. */
    public Duration readyTimeout() { return readyTimeout; }
    /** Timeout of a capsule's {@code astrid_install} or {@code astrid_upgrade} hook; zero for none. */
    public Duration installTimeout() { return installTimeout; }
    /** Whether a bare module (no manifest) gets WASI preview 1. Capsules always do. */
    public boolean wasi() { return wasi; }
    /** Where WASI stdout and stderr go; null discards them. */
    public OutputStream wasiOutput() { return wasiOutput; }
    /** The Extism log level guests see (see {@link KernelLog}). */
    public int logLevel() { return logLevel; }
    /** Where uplink messages go. */
    public UplinkConsumer uplinkConsumer() { return uplinkConsumer; }
    /** Providers added by the embedding application, besides those found by ServiceLoader. */
    public List<HostProvider> extraProviders() { return extraProviders; }
    /** Whether ServiceLoader is asked for providers. */
    public boolean discoverProviders() { return discoverProviders; }
    /** The embedding application's secret store; empty when the host opens the default one. */
    public Optional<SecretStore> secretStore() { return Optional.ofNullable(secretStore); }
    /** How providers reach a person; {@link Interaction#NONE} by default. */
    public Interaction interaction() { return interaction; }
    /** The SDK profile every capsule gets unless a per-capsule profile names it; empty lets each capsule's manifest or module decide. */
    public Optional<SdkProfile> profile() { return Optional.ofNullable(profile); }
    /** SDK profiles by capsule name; they win over {@link #profile()}. */
    public Map<String, SdkProfile> capsuleProfiles() { return capsuleProfiles; }
    /** The instance pool size of capsules without a size of their own (1 by default). */
    public int instancePool() { return instancePool; }
    /** The instance pool size of a capsule: its own if set, else {@link #instancePool()}. */
    public int instancePool(String capsule) { return instancePools.getOrDefault(capsule, instancePool); }

    /** Builds a {@link HostConfig}. */
    public static final class Builder {
        private Path dataDir = defaultDataDir();
        private Path workspace = Path.of("");
        private EngineOptions engine = EngineOptions.DEFAULT;
        private boolean moduleCache = true;
        private long moduleCacheMaxBytes = ModuleCache.DEFAULT_MAX_BYTES;
        private final Map<Family, String> providerChoices = new EnumMap<>(Family.class);
        private final Map<String, String> providerSettings = new LinkedHashMap<>();
        private final Map<String, String> config = new LinkedHashMap<>();
        private final List<String> allowedHosts = new ArrayList<>();
        private Duration callTimeout = Duration.ofSeconds(10);
        private Duration readyTimeout = Duration.ofSeconds(5);
        private Duration installTimeout = Duration.ofSeconds(60);
        private boolean wasi;
        private OutputStream wasiOutput;
        private int logLevel = KernelLog.INFO;
        private UplinkConsumer uplinkConsumer = UplinkConsumer.NONE;
        private final List<HostProvider> extraProviders = new ArrayList<>();
        private int instancePool = 1;
        private final Map<String, Integer> instancePools = new LinkedHashMap<>();
        private boolean discoverProviders = true;
        private SecretStore secretStore;
        private Interaction interaction = Interaction.NONE;
        private SdkProfile profile;
        private final Map<String, SdkProfile> capsuleProfiles = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Sets the data directory (default {@link HostConfig#defaultDataDir()}). It must not lie in
         * the workspace: {@link AstridHost#start} refuses that.
         */
        public Builder dataDir(Path v) { this.dataDir = Objects.requireNonNull(v); return this; }
        /** Sets the workspace (default the current directory). */
        public Builder workspace(Path v) { this.workspace = Objects.requireNonNull(v); return this; }
        /**
         * Sets the engine options. When they name no module cache, the host uses
         * {@link HostConfig#defaultModuleCache} unless {@link #moduleCache(boolean)} turned it off.
         */
        public Builder engine(EngineOptions v) { this.engine = Objects.requireNonNull(v); return this; }
        /**
         * Turns the compiled-module cache in the data directory on (the default) or off. Off also
         * drops a cache named by {@link #engine(EngineOptions)}.
         */
        public Builder moduleCache(boolean v) { this.moduleCache = v; return this; }
        /** Sets the bound on the module cache's total size (default 256 MiB); zero turns the cache off. */
        public Builder moduleCacheMaxBytes(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("the module cache bound must not be negative");
            }
            this.moduleCacheMaxBytes = v;
            return this;
        }
        /** Chooses a provider by name for a family. */
        public Builder provider(Family family, String name) { providerChoices.put(family, name); return this; }
        /** Adds a provider setting. */
        public Builder setting(String key, String value) { providerSettings.put(key, value); return this; }
        /**
         * Sets the file of the key that seals secrets at rest (setting {@code secrets.key-file});
         * by default {@code $XDG_CONFIG_HOME/astrid/secrets.key}, else {@code ~/.config/astrid/secrets.key}.
         * It must lie outside the data directory.
         */
        public Builder secretsKeyFile(Path v) { providerSettings.put("secrets.key-file", v.toAbsolutePath().toString()); return this; }
        /** Adds a configuration value. */
        public Builder config(String key, String value) { config.put(key, value); return this; }
        /** Allows a host glob for Extism HTTP. */
        public Builder allowHost(String glob) { allowedHosts.add(glob); return this; }
        /** Sets the on-demand call timeout; zero for none. */
        public Builder callTimeout(Duration v) { this.callTimeout = Objects.requireNonNull(v); return this; }
        /** Sets the readiness wait. */
        public Builder readyTimeout(Duration v) { this.readyTimeout = Objects.requireNonNull(v); return this; }
        /** Sets the install and upgrade hook timeout (default 60 s); zero for none. */
        public Builder installTimeout(Duration v) {
            if (v.isNegative()) {
                throw new IllegalArgumentException("the install timeout must not be negative");
            }
            this.installTimeout = v;
            return this;
        }
        /** Gives bare modules WASI preview 1. */
        public Builder wasi(boolean v) { this.wasi = v; return this; }
        /** Sends WASI stdout and stderr to a stream. */
        public Builder wasiOutput(OutputStream v) { this.wasiOutput = v; return this; }
        /** Sets the guest-visible log level. */
        public Builder logLevel(int v) { this.logLevel = v; return this; }
        /** Sets where uplink messages go. */
        public Builder uplinkConsumer(UplinkConsumer v) { this.uplinkConsumer = Objects.requireNonNull(v); return this; }
        /** Adds a provider instance. */
        public Builder addProvider(HostProvider p) { extraProviders.add(p); return this; }
        /** Turns ServiceLoader discovery on or off (on by default). */
        public Builder discoverProviders(boolean v) { this.discoverProviders = v; return this; }

        /**
         * Sets the secret store every capsule's secrets go to, instead of the one a
         * {@link dev.astrid.host.spi.services.SecretStoreFactory} opens (by default the sealed
         * SQLite store). The host does not close a store it was given.
         */
        public Builder secretStore(SecretStore v) { this.secretStore = Objects.requireNonNull(v); return this; }
        /**
         * Sets how providers reach a person: install-time questions ({@code astrid_elicit}) and
         * approvals ({@code astrid_request_approval}). By default nobody is asked: questions go
         * unanswered and approvals are denied unless a standing policy allows them.
         */
        public Builder interaction(Interaction v) { this.interaction = Objects.requireNonNull(v); return this; }

        /**
         * Gives every capsule this SDK profile, over what its manifest says or its module shows (by
         * default none: see {@code docs/profiles.md}, "Choosing a profile").
         */
        public Builder profile(SdkProfile v) { this.profile = Objects.requireNonNull(v); return this; }
        /** Gives the capsule of this name this SDK profile, over every other choice. */
        public Builder profile(String capsule, SdkProfile v) {
            capsuleProfiles.put(Objects.requireNonNull(capsule), Objects.requireNonNull(v));
            return this;
        }

        /**
         * How many instances of a capsule's module may serve its calls at the same time (1 to
         * {@value #MAX_INSTANCE_POOL}; default 1, every call of a capsule after the other). Each
         * instance runs one call at a time and has its own guest memory; they share the capsule's
         * providers (KV, the event bus, files). Instances are made when concurrent calls need them.
         */
        public Builder instancePool(int v) { this.instancePool = checkPool(v); return this; }

        /** {@link #instancePool(int)} for one capsule, by its name. */
        public Builder instancePool(String capsule, int v) {
            instancePools.put(Objects.requireNonNull(capsule), checkPool(v));
            return this;
        }

        /** The largest instance pool. */
        public static final int MAX_INSTANCE_POOL = 64;

        private static int checkPool(int v) {
            if (v < 1 || v > MAX_INSTANCE_POOL) {
                throw new IllegalArgumentException("instance pool size must be 1.." + MAX_INSTANCE_POOL + ", got " + v);
            }
            return v;
        }

        /** The configuration. */
        public HostConfig build() {
            return new HostConfig(this);
        }
    }
}
