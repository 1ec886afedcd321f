package dev.astrid.reference;

import dev.astrid.host.spi.services.Interaction;
import dev.astrid.host.spi.services.SecretStore;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.CapsuleHandle;
import dev.astrid.host.spi.CapsuleRegistry;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.UplinkConsumer;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.engine.GuestPool;
import dev.astrid.reference.host.CapsuleLogger;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/** The context the reference host gives each provider binding of one capsule. */
final class CapsuleContextImpl implements CapsuleContext {
    private final AstridHost host;
    private final LoadedCapsule capsule;
    private final Path capsuleDataDir;
    private final ProviderSettings settings;
    private final System.Logger logger;
    private volatile Map<String, String> config = Map.of();

    CapsuleContextImpl(AstridHost host, LoadedCapsule capsule, Path capsuleDataDir, ProviderSettings settings) {
        this.host = host;
        this.capsule = capsule;
        this.capsuleDataDir = capsuleDataDir;
        this.settings = settings;
        this.logger = new CapsuleLogger(System.getLogger("astrid.capsule." + capsule.id()), capsule.id(),
                CapsuleLogger.Limits.from(settings));
    }

    void setConfig(Map<String, String> resolved) {
        this.config = Map.copyOf(resolved);
    }

    @Override public String capsuleId() { return capsule.id(); }
    @Override public String stateNamespace() { return capsule.stateNamespace(); }
    @Override public UUID sessionId() { return capsule.sessionId(); }
    @Override public CapsuleManifest manifest() { return capsule.manifest(); }
    @Override public Map<String, String> config() { return config; }
    @Override public ProviderSettings settings() { return settings; }
    @Override public Path hostDataDir() { return host.config().dataDir(); }
    @Override public Path capsuleDataDir() { return capsuleDataDir; }
    @Override public Path workspace() { return host.config().workspace(); }
    @Override public Clock clock() { return host.clock(); }
    @Override public System.Logger logger() { return logger; }
    @Override public CapsuleHandle self() { return capsule; }
    @Override public CapsuleRegistry capsules() { return host.registry(); }
    @Override public void markReady() { capsule.markReady(); }
    @Override public UplinkConsumer uplinkConsumer() { return host.config().uplinkConsumer(); }
    @Override public SecretStore secrets() { return host.secrets().get(); }
    @Override public Interaction interaction() { return host.config().interaction(); }

    @Override
    public Invocation currentInvocation() {
        GuestPool p = capsule.plugin();
        return p == null ? Invocation.NONE : p.currentInvocation();
    }
}
