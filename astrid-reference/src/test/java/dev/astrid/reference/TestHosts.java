package dev.astrid.reference;

import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.reference.engine.EngineOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Hosts and capsules for tests, in a temporary directory. */
public final class TestHosts {
    private TestHosts() {}

    /** A host builder rooted in {@code dir} (data in dir/data, workspace dir/ws). */
    public static HostConfig.Builder config(Path dir, boolean interpreter) {
        try {
            Files.createDirectories(dir.resolve("ws"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return HostConfig.builder().dataDir(dir.resolve("data")).workspace(dir.resolve("ws"))
                .engine(EngineOptions.DEFAULT.withInterpreter(interpreter));
    }

    /** Loads a committed guest as a bare module named after it. */
    public static LoadedCapsule loadBare(AstridHost host, String guest) {
        return host.load(CapsuleManifest.bare(guest), Guests.bytes(guest), Optional.empty());
    }
}
