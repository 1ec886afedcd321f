package dev.astrid.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The host work of one {@link KvRoundTripBenchmark} round trip without WebAssembly: the ceiling a
 * round trip could approach if crossing the guest boundary cost nothing.
 *
 * <p>Per operation: allocate the 16-byte key block and write the key into it as two little-endian
 * longs (alloc + 2 store_u64), copy the key out as the host does before calling the family, look
 * it up in the same {@link FixedValueKv}, copy the 32-byte value into a new block, and read it back
 * as four longs into "guest memory" (4 load_u64). The JIT may remove allocations that do not
 * escape; that is part of what a ceiling means.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class PlainJavaKvBaseline {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final FixedValueKv kv = new FixedValueKv();
    /** The key as the guest holds it in its memory. */
    private final long[] guestKey = {
        (long) LONG_LE.get(BenchGuest.KEY, 0), (long) LONG_LE.get(BenchGuest.KEY, 8)};
    /** Where the guest copies the value. */
    private final long[] guestValue = new long[4];

    /** One round trip; returns a word of the value so that nothing is dead code. */
    @Benchmark
    public long roundTrip() {
        byte[] keyBlock = new byte[16];
        LONG_LE.set(keyBlock, 0, guestKey[0]);
        LONG_LE.set(keyBlock, 8, guestKey[1]);
        byte[] value = kv.kvGet(keyBlock.clone());
        byte[] valueBlock = new byte[value.length];
        System.arraycopy(value, 0, valueBlock, 0, value.length);
        if (valueBlock.length != FixedValueKv.VALUE_LENGTH) {
            throw new IllegalStateException("value of " + valueBlock.length + " bytes");
        }
        guestValue[0] = (long) LONG_LE.get(valueBlock, 0);
        guestValue[1] = (long) LONG_LE.get(valueBlock, 8);
        guestValue[2] = (long) LONG_LE.get(valueBlock, 16);
        guestValue[3] = (long) LONG_LE.get(valueBlock, 24);
        return guestValue[0] ^ guestValue[3];
    }
}
