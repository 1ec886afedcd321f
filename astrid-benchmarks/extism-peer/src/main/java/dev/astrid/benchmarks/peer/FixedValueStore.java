package dev.astrid.benchmarks.peer;

/**
 * The peer's copy of the host benchmarks' {@code FixedValueKv}: every key maps to the same 32-byte
 * value (1, 2, ..., 32), and lookups are counted so that a benchmark can prove each round trip
 * reached it. A plain counter: the plugin's calls run one at a time on the benchmark thread.
 */
final class FixedValueStore {
    /** The length of the value every key maps to. */
    static final int VALUE_LENGTH = 32;

    private final byte[] value = new byte[VALUE_LENGTH];
    private long gets;

    FixedValueStore() {
        for (int i = 0; i < VALUE_LENGTH; i++) {
            value[i] = (byte) (i + 1);
        }
    }

    /** The value for {@code key}; the caller copies it into plugin memory, so it is shared. */
    byte[] get(byte[] key) {
        gets++;
        return value;
    }

    /** How many lookups were served so far. */
    long gets() {
        return gets;
    }
}
