package dev.astrid.reference;

import dev.astrid.host.spi.CapsuleHandle;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.engine.GuestPool;
import dev.astrid.sys.abi.AbiFunction;
import dev.astrid.sys.abi.SdkProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A capsule loaded on an {@link AstridHost}. */
public final class LoadedCapsule implements CapsuleHandle {
    private final AstridHost host;
    private final CapsuleManifest manifest;
    private final UUID sessionId = UUID.randomUUID();
    private final List<AutoCloseable> bindings = new ArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final List<AbiFunction> unprovided;
    private final java.util.Set<String> exports;
    private final String stateNamespace;
    private final Path dataDir;
    private final ProfileChoice profile;
    private volatile GuestPool plugin;
    private volatile boolean loaded = true;

    LoadedCapsule(AstridHost host, CapsuleManifest manifest, List<AbiFunction> unprovided,
            java.util.Set<String> exports, String stateNamespace, Path dataDir, ProfileChoice profile) {
        this.profile = profile;
        this.host = host;
        this.stateNamespace = stateNamespace;
        this.dataDir = dataDir;
        this.manifest = manifest;
        this.unprovided = List.copyOf(unprovided);
        this.exports = java.util.Set.copyOf(exports);
    }

    /** The namespace that owns the capsule's state: {@code capsule:<name>}, or {@code module:<sha256>} for a bare module. */
    public String stateNamespace() {
        return stateNamespace;
    }

    /** The SDK profile the capsule's imports are linked with. */
    public SdkProfile profile() {
        return profile.profile();
    }

    /** The SDK profile and why it was chosen. */
    public ProfileChoice profileChoice() {
        return profile;
    }

    /** The capsule's own directory in the host data directory. */
    Path dataDir() {
        return dataDir;
    }

    void attach(GuestPool g) {
        this.plugin = g;
    }

    void addBinding(AutoCloseable c) {
        bindings.add(c);
    }

    List<AutoCloseable> bindings() {
        return bindings;
    }

    GuestPool plugin() {
        return plugin;
    }

    void markReady() {
        ready.countDown();
    }

    void markUnloaded() {
        loaded = false;
    }

    @Override
    public String id() {
        return manifest.name();
    }

    @Override
    public UUID sessionId() {
        return sessionId;
    }

    @Override
    public CapsuleManifest manifest() {
        return manifest;
    }

    /** Catalog functions the capsule imports that no installed provider serves. */
    public List<AbiFunction> unprovidedImports() {
        return unprovided;
    }

    /** Known from the module before it is instantiated, so providers can ask while they bind. */
    @Override
    public boolean hasExport(String export) {
        return exports.contains(export);
    }

    @Override
    public boolean isLoaded() {
        return loaded;
    }

    @Override
    public boolean isReady() {
        return ready.getCount() == 0;
    }

    /** Waits for the capsule to signal readiness, up to a limit; true if it did. */
    public boolean awaitReady(Duration limit) throws InterruptedException {
        return ready.await(limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public byte[] call(String export, byte[] input, Invocation.Caller caller, Duration timeout) {
        GuestPool p = plugin;
        if (p == null || !loaded) {
            throw new GuestCallException(GuestCallException.Kind.UNLOADED, "capsule " + id() + " is not loaded");
        }
        return p.call(export, input, caller, timeout);
    }

    /**
     * How many instances of the capsule's module may serve calls at the same time
     * ({@link HostConfig#instancePool(String)}); 1 unless configured.
     */
    public int instancePool() {
        GuestPool p = plugin;
        return p == null ? 0 : p.size();
    }

    /** How many instances exist now: the pool makes them as concurrent calls need them. */
    public int instances() {
        GuestPool p = plugin;
        return p == null ? 0 : p.instances();
    }

    /** Calls an export with the host's default timeout, for nobody in particular. */
    public byte[] call(String export, byte[] input) {
        return call(export, input, Invocation.Caller.NONE, host.config().callTimeout());
    }

    /** Unloads the capsule from its host. */
    public void unload() {
        host.unload(this);
    }

    @Override
    public String toString() {
        return "capsule " + id();
    }
}
