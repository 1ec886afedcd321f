package dev.astrid.benchmarks;

import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.CapsuleHandle;
import dev.astrid.host.spi.CapsuleRegistry;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.UplinkConsumer;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The smallest {@link CapsuleContext} a provider can be bound with outside a host: a capsule with
 * given capabilities, no exports, no configuration and no settings, on the system UTC clock.
 */
final class BenchCapsuleContext implements CapsuleContext {
    private final CapsuleManifest manifest;
    private final UUID sessionId = UUID.randomUUID();
    private final Path dataDir;
    private final CapsuleHandle self = new Handle();

    /**
     * @param name the capsule id
     * @param capabilities its manifest capabilities
     * @param dataDir the host data directory; the capsule's own directory is the same (IPC never writes)
     */
    BenchCapsuleContext(String name, Capabilities capabilities, Path dataDir) {
        this.manifest = CapsuleManifest.bare(name).withCapabilities(capabilities);
        this.dataDir = dataDir;
    }

    @Override
    public String capsuleId() {
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

    @Override
    public Map<String, String> config() {
        return Map.of();
    }

    @Override
    public ProviderSettings settings() {
        return ProviderSettings.empty();
    }

    @Override
    public Path hostDataDir() {
        return dataDir;
    }

    @Override
    public Path capsuleDataDir() {
        return dataDir;
    }

    @Override
    public Path workspace() {
        return dataDir;
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public System.Logger logger() {
        return System.getLogger("astrid.bench." + manifest.name());
    }

    @Override
    public CapsuleHandle self() {
        return self;
    }

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

    @Override
    public Invocation currentInvocation() {
        return Invocation.NONE;
    }

    @Override
    public void markReady() {}

    @Override
    public UplinkConsumer uplinkConsumer() {
        return UplinkConsumer.NONE;
    }

    /** The capsule as a handle: it has no module, so it exports nothing and cannot be called. */
    private final class Handle implements CapsuleHandle {
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

        @Override
        public boolean hasExport(String export) {
            return false;
        }

        @Override
        public boolean isLoaded() {
            return true;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public byte[] call(String export, byte[] input, Invocation.Caller caller, Duration timeout) {
            throw new GuestCallException(GuestCallException.Kind.NO_SUCH_EXPORT,
                    "benchmark capsule " + manifest.name() + " has no module");
        }
    }
}
