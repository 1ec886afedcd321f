package dev.astrid.benchmarks;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.HostConfig;
import dev.astrid.engine.EngineOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The benchmark guest {@code guests/wat/bench-kv.wat}, packaged as {@code /guests/bench-kv.wasm}. */
final class BenchGuest {
    /** The name the guest is loaded under. */
    static final String NAME = "bench-kv";
    /** The key every round trip looks up (16 bytes). */
    static final byte[] KEY = "bench/key/000001".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private BenchGuest() {}

    /** The module's bytes. */
    static byte[] wasm() {
        String resource = "/guests/" + NAME + ".wasm";
        try (InputStream in = BenchGuest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path; run guests/build.sh");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The input of {@code bench} and {@code bench_raw}: N as 8 little-endian bytes, then the key. */
    static byte[] input(long rounds) {
        if (KEY.length != 16) {
            throw new IllegalStateException("the benchmark key must be 16 bytes");
        }
        return ByteBuffer.allocate(8 + KEY.length).order(ByteOrder.LITTLE_ENDIAN).putLong(rounds).put(KEY).array();
    }

    /** The input of {@code bench_set}: N, the key, then the value to store. */
    static byte[] setInput(long rounds, byte[] value) {
        return ByteBuffer.allocate(8 + KEY.length + value.length).order(ByteOrder.LITTLE_ENDIAN).putLong(rounds).put(KEY)
                .put(value).array();
    }

    /**
     * A host in {@code dir} whose only provider is {@code provider} (nothing comes from
     * ServiceLoader, so the measured path is explicit), with the guest loaded as a bare module
     * (its only capsule).
     *
     * @param settings provider settings as key, value pairs
     */
    static AstridHost start(Path dir, EngineOptions engine, HostProvider provider, String... settings) throws IOException {
        Files.createDirectories(dir.resolve("ws"));
        HostConfig.Builder config = HostConfig.builder()
                .dataDir(dir.resolve("data"))
                .workspace(dir.resolve("ws"))
                .engine(engine)
                .discoverProviders(false)
                .addProvider(provider);
        for (int i = 0; i + 1 < settings.length; i += 2) {
            config.setting(settings[i], settings[i + 1]);
        }
        AstridHost host = AstridHost.start(config.build());
        try {
            host.load(CapsuleManifest.bare(NAME), wasm(), Optional.empty());
            return host;
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
    }
}
