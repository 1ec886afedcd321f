package dev.astrid.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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
}
