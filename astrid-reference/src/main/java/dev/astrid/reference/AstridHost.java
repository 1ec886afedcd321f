package dev.astrid.reference;

import dev.astrid.host.spi.CapsuleHandle;
import dev.astrid.host.spi.CapsuleRegistry;
import dev.astrid.host.spi.ConfigSource;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.reference.capsule.ComponentHash;
import dev.astrid.reference.capsule.ManifestException;
import dev.astrid.reference.capsule.ManifestReader;
import dev.astrid.reference.capsule.StateNamespace;
import dev.astrid.engine.GuestPool;
import dev.astrid.engine.GuestLinks;
import dev.astrid.sys.abi.SdkProfile;
import dev.astrid.engine.GuestModule;
import dev.astrid.reference.host.HostSecrets;
import dev.astrid.reference.host.LoggerKernelLog;
import dev.astrid.reference.host.ProviderRegistry;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.GuestExports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The reference host: finds providers, loads capsules, links them and runs their calls.
 *
 * <pre>{@code
 * try (AstridHost host = AstridHost.start(HostConfig.builder().dataDir(dir).build())) {
 *     LoadedCapsule c = host.load(Path.of("examples/hello"));
 *     byte[] out = c.call("greet", "world".getBytes());
 * }
 * }</pre>
 */
public final class AstridHost implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("astrid.host");

    private final HostConfig config;
    private final ProviderRegistry providers;
    private final HostSecrets secrets;
    private final Clock clock = Clock.systemUTC();
    private final List<LoadedCapsule> capsules = new CopyOnWriteArrayList<>();
    private final Registry registry = new Registry();
    private volatile boolean closed;

    private AstridHost(HostConfig config, ProviderRegistry providers) {
        this.config = config;
        this.providers = providers;
        this.secrets = new HostSecrets(config.dataDir(), ProviderSettings.of(config.providerSettings()), config.secretStore());
    }

    /**
     * Starts a host: discovers providers and picks one per family.
     *
     * @throws IllegalStateException when provider selection fails
     * @throws IllegalArgumentException when the data directory and the workspace overlap, or the
     *     data directory cannot be created (a new one is made readable by its owner only)
     */
    public static AstridHost start(HostConfig config) {
        DataDirPlacement.requireApart(config.dataDir(), config.workspace(), HostConfig.defaultDataDir());
        DataDirPlacement.createIfMissing(config.dataDir());
        ProviderRegistry providers = ProviderRegistry.create(config.discoverProviders(), config.extraProviders(),
                config.providerChoices());
        return new AstridHost(config, providers);
    }

    /** The configuration the host runs with. */
    public HostConfig config() {
        return config;
    }

    Clock clock() {
        return clock;
    }

    CapsuleRegistry registry() {
        return registry;
    }

    HostSecrets secrets() {
        return secrets;
    }

    /** The provider chosen for each family; a family without one is absent. */
    public Map<Family, HostProvider> boundProviders() {
        Map<Family, HostProvider> out = new EnumMap<>(Family.class);
        for (Family f : Family.values()) {
            providers.forFamily(f).ifPresent(p -> out.put(f, p));
        }
        return out;
    }

    /** The capsules loaded now, in load order. */
    public List<LoadedCapsule> capsules() {
        return List.copyOf(capsules);
    }

    /**
     * Loads a capsule directory (one holding {@code Capsule.toml}) or a bare {@code .wasm} module.
     * A bare module's id is its file name, but its state (KV, secrets, data directory) belongs to
     * {@code module:<sha256 of its bytes>}, never to the capsule of that name.
     *
     * @throws ManifestException for a bad manifest or hash
     * @throws IllegalArgumentException for a module that cannot be parsed or linked, or bad configuration
     * @throws GuestCallException when the module's initializer fails
     */
    public LoadedCapsule load(Path path) {
        if (Files.isDirectory(path)) {
            // A reader per capsule directory: its TOML mapper is not built for a bare module at all.
            CapsuleManifest manifest = new ManifestReader().read(path);
            if (manifest.components().isEmpty()) {
                throw new ManifestException(path.resolve(ManifestReader.FILE_NAME) + ": no [[component]] with a wasm file");
            }
            CapsuleManifest.Component comp = manifest.components().get(0);
            Path wasmPath = path.resolve(comp.file()).normalize();
            if (!wasmPath.startsWith(path.normalize())) {
                throw new ManifestException(path.resolve(ManifestReader.FILE_NAME) + ": component file '" + comp.file()
                        + "' lies outside the capsule directory");
            }
            byte[] wasm = readWasm(wasmPath);
            if (!comp.hash().isEmpty()) {
                ComponentHash.verify(wasm, comp.hash(), path.resolve(ManifestReader.FILE_NAME).toString());
            }
            return load(manifest, wasm, Optional.of(path.toAbsolutePath().normalize()));
        }
        byte[] wasm = readWasm(path);
        String file = path.getFileName().toString();
        String name = file.endsWith(".wasm") ? file.substring(0, file.length() - 5) : file;
        name = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        return load(CapsuleManifest.bare(name.isEmpty() ? "module" : name), wasm, Optional.empty(), StateNamespace.module(wasm));
    }

    private static byte[] readWasm(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + p);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads a module with a manifest the caller built.
     *
     * @param capsuleDir where the capsule lives, if it has a manifest on disk; a capsule with a
     *     directory gets WASI and every installed family, a bare module only what it imports
     * @throws ManifestException when this name and version were installed with another component
     */
    public LoadedCapsule load(CapsuleManifest manifest, byte[] wasm, Optional<Path> capsuleDir) {
        return load(manifest, wasm, capsuleDir, StateNamespace.capsule(manifest.name()));
    }

    private LoadedCapsule load(CapsuleManifest manifest, byte[] wasm, Optional<Path> capsuleDir, String stateNamespace) {
        if (closed) {
            throw new IllegalStateException("the host is closed");
        }
        if (capsules.stream().anyMatch(c -> c.id().equals(manifest.name()))) {
            throw new IllegalArgumentException("a capsule named " + manifest.name() + " is already loaded");
        }
        GuestModule module = GuestModule.compile(manifest.name(), wasm, config.engine());
        boolean fullCapsule = capsuleDir.isPresent();
        boolean wasi = fullCapsule || config.wasi();
        if (module.usesWasi() && !wasi) {
            throw new IllegalArgumentException(manifest.name() + " imports WASI preview 1 (wasi_snapshot_preview1); "
                    + "give bare modules WASI with HostConfig.Builder.wasi(true)");
        }
        List<dev.astrid.sys.abi.AbiFunction> unprovided = module.catalogImports().stream()
                .filter(fn -> providers.forFamily(fn.family()).isEmpty()).collect(Collectors.toList());
        Path dataDir = mkdirs(stateDir(stateNamespace));
        String sha256 = ComponentHash.sha256(wasm);
        InstallRecord.check(dataDir, manifest, sha256);
        ProfileChoice profile = chooseProfile(manifest, wasm);
        LoadedCapsule capsule = new LoadedCapsule(this, manifest, unprovided,
                module.exports(), stateNamespace, dataDir, profile);
        CapsuleContextImpl ctx = new CapsuleContextImpl(this, capsule, dataDir,
                ProviderSettings.of(config.providerSettings()));
        Set<Family> families = EnumSet.noneOf(Family.class);
        if (fullCapsule) {
            families.addAll(boundProviders().keySet());
        } else {
            module.catalogImports().forEach(fn -> families.add(fn.family()));
            module.extensionImports().forEach(fn -> families.add(fn.family()));
            families.retainAll(boundProviders().keySet());
        }
        Map<Family, Object> bound = new EnumMap<>(Family.class);
        try {
            for (Family f : families) {
                bind(f, ctx, capsule, bound);
            }
            ctx.setConfig(resolveConfig(manifest, bound.values().stream().filter(ConfigSource.class::isInstance)
                    .map(ConfigSource.class::cast).collect(Collectors.toList())));
            if (!unprovided.isEmpty()) {
                LOG.log(fullCapsule ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG, manifest.name() + " imports "
                        + unprovided.stream().map(dev.astrid.sys.abi.AbiFunction::symbol).collect(Collectors.joining(", "))
                        + " but no provider of "
                        + unprovided.stream().map(fn -> fn.family().id()).distinct().collect(Collectors.joining(", "))
                        + " is installed; those calls will trap with 'no provider installed'");
            }
            GuestLinks.Builder links = GuestLinks.builder().config(ctx.config()).allowedHosts(config.allowedHosts())
                    .httpSettings(ProviderSettings.of(config.providerSettings()))
                    .log(new LoggerKernelLog(ctx.logger(), config.logLevel())).wasiOutput(config.wasiOutput())
                    .profile(profile.profile());
            bound.forEach(links::family);
            capsules.add(capsule);
            capsule.attach(GuestPool.create(module, links.build(), config.instancePool(manifest.name()), config.callTimeout()));
            InstallRecord.recordLoad(dataDir, manifest, sha256);
            return capsule;
        } catch (RuntimeException e) {
            unload(capsule);
            if (e instanceof HostException) {
                throw new IllegalArgumentException("cannot load " + manifest.name() + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /**
     * Per-capsule option, host-wide option, manifest, the module's SDK version, else seed. When an
     * option or the manifest names a profile and the module shows another SDK, the choice stands
     * but says so, and a warning names the likely fix: a capsule on the wrong wire misreads results.
     */
    private ProfileChoice chooseProfile(CapsuleManifest manifest, byte[] wasm) {
        SdkProfile forCapsule = config.capsuleProfiles().get(manifest.name());
        ProfileChoice stated = null;
        if (forCapsule != null) {
            stated = new ProfileChoice(forCapsule, ProfileChoice.Source.HOST_CAPSULE, "from the host's profile for this capsule");
        } else if (config.profile().isPresent()) {
            stated = new ProfileChoice(config.profile().get(), ProfileChoice.Source.HOST, "from the host's profile for every capsule");
        } else if (manifest.sdkProfile().isPresent()) {
            stated = new ProfileChoice(manifest.sdkProfile().get(), ProfileChoice.Source.MANIFEST,
                    "from " + ManifestReader.FILE_NAME + " astrid-sdk = \"" + manifest.astridSdk() + "\"");
        }
        ProfileChoice detected = SdkVersionDetector.detect(manifest.name(), wasm);
        if (stated == null) {
            return detected;
        }
        if (detected.source() != ProfileChoice.Source.DETECTED || detected.profile() == stated.profile()) {
            return stated;
        }
        String found = detected.detail();
        int cut = found.indexOf(" in the module");
        String mismatch = "but the module was built with " + (cut < 0 ? found : found.substring(0, cut)).replaceFirst("^detected ", "")
                + ", whose profile is " + detected.profile().id();
        LOG.log(System.Logger.Level.WARNING, manifest.name() + " runs with SDK profile " + stated.profile().id() + ", "
                + mismatch + "; if its calls misread their results, give " + manifest.name() + " profile "
                + detected.profile().id());
        return new ProfileChoice(stated.profile(), stated.source(), stated.detail() + ", " + mismatch);
    }

    private void bind(Family f, CapsuleContextImpl ctx, LoadedCapsule capsule, Map<Family, Object> bound) {
        HostProvider p = providers.forFamily(f).orElseThrow();
        Object impl = p.bind(ctx);
        if (!f.api().isInstance(impl)) {
            throw new IllegalStateException("provider " + p.name() + " bound " + impl.getClass().getName()
                    + ", which does not implement " + f.api().getSimpleName());
        }
        bound.put(f, impl);
        if (impl instanceof AutoCloseable) {
            capsule.addBinding((AutoCloseable) impl);
        }
    }

    /**
     * The capsule's configuration: for each {@code [env]} key, a command-line value, else a value
     * stored under that key in the capsule's KV namespace, else the default; then every
     * command-line value. A key with none of these makes the load fail. A {@code secret} key is
     * never put into the configuration; it must be set in the secret store instead.
     */
    private Map<String, String> resolveConfig(CapsuleManifest manifest, List<ConfigSource> sources) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (CapsuleManifest.EnvVar v : manifest.env().values()) {
            if (v.key().equals("ASTRID_SOCKET_PATH")) {
                continue;
            }
            if (v.type().equals("secret")) {
                List<Boolean> answers = sources.stream().map(src -> src.secretSet(v.key()))
                        .flatMap(Optional::stream).collect(Collectors.toList());
                if (!answers.isEmpty() && !answers.contains(Boolean.TRUE)) {
                    missing.add(v.key() + " (a secret not in the secret store of " + manifest.name() + ")");
                }
                continue;
            }
            String value = config.config().get(v.key());
            for (int i = 0; value == null && i < sources.size(); i++) {
                value = sources.get(i).storedValue(v.key()).orElse(null);
            }
            if (value == null && v.enumValues().size() <= 1) {
                value = v.defaultValue();
            }
            if (value == null) {
                String why = !v.request().isEmpty() ? v.request() : v.description();
                missing.add(v.key() + (why.isEmpty() ? "" : " (" + why + ")"));
            } else {
                out.put(v.key(), value);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("capsule " + manifest.name() + " needs configuration it does not have: "
                    + String.join(", ", missing) + "; supply each with HostConfig.Builder.config(KEY, VALUE)");
        }
        out.putAll(config.config());
        return out;
    }

    /** The data directory of a state namespace: {@code capsules/<name>} or {@code modules/<sha256>}. */
    private Path stateDir(String namespace) {
        int colon = namespace.indexOf(':');
        String kind = namespace.substring(0, colon);
        return config.dataDir().resolve(kind.equals("module") ? "modules" : "capsules").resolve(namespace.substring(colon + 1));
    }

    private static Path mkdirs(Path p) {
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create " + p + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs the capsule's install or upgrade hook when this host has not run it for this version
     * yet: {@code astrid_install} with empty input on the first load, {@code astrid_upgrade} with
     * {@code {"prev_version":".."}} when the version changed. Returns what was run, if anything.
     */
    public Optional<String> installIfNeeded(LoadedCapsule capsule) {
        String version = capsule.manifest().version();
        String previous = InstallRecord.read(capsule.dataDir()).map(InstallRecord::installedVersion).orElse(null);
        if (version.equals(previous)) {
            return Optional.empty();
        }
        String ran = null;
        if (previous == null && capsule.hasExport(GuestExports.INSTALL)) {
            capsule.call(GuestExports.INSTALL, new byte[0], Invocation.Caller.NONE, config.installTimeout());
            ran = GuestExports.INSTALL;
        } else if (previous != null && capsule.hasExport(GuestExports.UPGRADE)) {
            String input = "{\"prev_version\":" + new com.google.gson.Gson().toJson(previous) + "}";
            capsule.call(GuestExports.UPGRADE, input.getBytes(StandardCharsets.UTF_8), Invocation.Caller.NONE, config.installTimeout());
            ran = GuestExports.UPGRADE;
        }
        InstallRecord.recordInstalled(capsule.dataDir(), version);
        return Optional.ofNullable(ran);
    }

    /** Unloads a capsule: its calls stop, its bindings close, it leaves the registry. Idempotent. */
    public void unload(LoadedCapsule capsule) {
        capsules.remove(capsule);
        capsule.markUnloaded();
        GuestPool p = capsule.plugin();
        if (p != null) {
            p.close();
        }
        List<AutoCloseable> bs = new ArrayList<>(capsule.bindings());
        Collections.reverse(bs);
        for (AutoCloseable b : bs) {
            try {
                b.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing a binding of " + capsule.id() + " failed", e);
            }
        }
        capsule.bindings().clear();
    }

    /** Unloads every capsule (newest first) and closes the providers. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<LoadedCapsule> all = new ArrayList<>(capsules);
        Collections.reverse(all);
        for (LoadedCapsule c : all) {
            unload(c);
        }
        providers.close();
        secrets.close();
    }

    /** The live registry providers see. */
    private final class Registry implements CapsuleRegistry {
        @Override
        public List<CapsuleHandle> all() {
            return List.copyOf(capsules);
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
}
