package dev.astrid.benchmarks;

import dev.astrid.host.spi.HostException;
import dev.astrid.sys.abi.KvFunctions;

/**
 * A read-only KV namespace that answers every key with the same 32-byte value: the host-side work
 * of one round trip is then only what the ABI itself costs (read the key block, call the family,
 * put the value into a new block), as in the feasibility prototype.
 *
 * <p>It counts its lookups so that a benchmark can prove every round trip reached it. The counter
 * is a plain field: each instance serves one plugin, whose calls run one at a time.
 */
public final class FixedValueKv implements KvFunctions {
    /** The length of the value every key maps to. */
    public static final int VALUE_LENGTH = 32;

    private static final String READ_ONLY = "read-only benchmark store";

    private final byte[] value = new byte[VALUE_LENGTH];
    private long gets;

    /** A store whose value is the bytes 1, 2, ..., 32. */
    public FixedValueKv() {
        for (int i = 0; i < VALUE_LENGTH; i++) {
            value[i] = (byte) (i + 1);
        }
    }

    @Override
    public byte[] kvGet(byte[] key) {
        gets++;
        // The host copies the result into kernel memory, so handing out the shared array is safe.
        return value;
    }

    /** How many lookups were served so far. */
    public long gets() {
        return gets;
    }

    @Override
    public void kvSet(byte[] key, byte[] v) {
        throw new HostException(READ_ONLY);
    }

    @Override
    public void kvDelete(byte[] key) {
        throw new HostException(READ_ONLY);
    }

    @Override
    public byte[] kvListKeys(byte[] prefix) {
        throw new HostException(READ_ONLY);
    }

    @Override
    public byte[] kvClearPrefix(byte[] prefix) {
        throw new HostException(READ_ONLY);
    }
}
