package dev.astrid.engine.internal;

import com.dylibso.chicory.runtime.ByteBufferMemory;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.MemoryLimits;

/**
 * A guest's linear memory that remembers when it refused to grow.
 *
 * <p>Chicory answers a {@code memory.grow} past the maximum with -1 and nothing else, and its
 * memories are final classes, so this wrapper delegates every operation and records the refusal.
 * A trap is reported as out of memory only when a grow was refused during the same call (see
 * {@link Plugin}): how much headroom is left says nothing about why a guest trapped.
 *
 * <p>Not thread-safe beyond what the delegate is: the flag is written and read on the plugin's
 * own thread.
 */
final class GrowWatchedMemory implements Memory {
    private final ByteBufferMemory delegate;
    private boolean refused;

    GrowWatchedMemory(MemoryLimits limits) {
        this.delegate = new ByteBufferMemory(limits);
    }

    /** Whether a grow was refused since the last {@link #clearRefusal()}. */
    boolean growRefused() {
        return refused;
    }

    /** Forgets earlier refusals, at the start of a call. */
    void clearRefusal() {
        refused = false;
    }

    @Override
    public int grow(int pages) {
        int before = delegate.grow(pages);
        if (before == -1) {
            refused = true;
        }
        return before;
    }

    // Deprecated in Chicory 1.7 but still abstract: a Memory must implement them.
    @SuppressWarnings("removal") @Override public Object lock(int address) { return delegate.lock(address); }
    @SuppressWarnings("removal") @Override public int waitOn(int address, int expected, long timeout) { return delegate.waitOn(address, expected, timeout); }
    @SuppressWarnings("removal") @Override public int waitOn(int address, long expected, long timeout) { return delegate.waitOn(address, expected, timeout); }
    @SuppressWarnings("removal") @Override public int notify(int address, int maxThreads) { return delegate.notify(address, maxThreads); }
    @Override public int pages() { return delegate.pages(); }
    @Override public int initialPages() { return delegate.initialPages(); }
    @Override public int maximumPages() { return delegate.maximumPages(); }
    @Override public boolean shared() { return delegate.shared(); }
    @Override public void initialize(Instance instance, DataSegment[] segments) { delegate.initialize(instance, segments); }
    @Override public void initialize(Instance instance, DataSegment[] segments, int dataIndex) { delegate.initialize(instance, segments, dataIndex); }
    @Override public void initPassiveSegment(int segmentId, int dest, int offset, int size) { delegate.initPassiveSegment(segmentId, dest, offset, size); }
    @Override public void write(int addr, byte[] data, int offset, int size) { delegate.write(addr, data, offset, size); }
    @Override public byte read(int addr) { return delegate.read(addr); }
    @Override public byte[] readBytes(int addr, int len) { return delegate.readBytes(addr, len); }
    @Override public void writeI32(int addr, int data) { delegate.writeI32(addr, data); }
    @Override public int readInt(int addr) { return delegate.readInt(addr); }
    @Override public void writeLong(int addr, long data) { delegate.writeLong(addr, data); }
    @Override public long readLong(int addr) { return delegate.readLong(addr); }
    @Override public void writeShort(int addr, short data) { delegate.writeShort(addr, data); }
    @Override public short readShort(int addr) { return delegate.readShort(addr); }
    @Override public long readU16(int addr) { return delegate.readU16(addr); }
    @Override public void writeByte(int addr, byte data) { delegate.writeByte(addr, data); }
    @Override public void writeF32(int addr, float data) { delegate.writeF32(addr, data); }
    @Override public long readF32(int addr) { return delegate.readF32(addr); }
    @Override public float readFloat(int addr) { return delegate.readFloat(addr); }
    @Override public void writeF64(int addr, double data) { delegate.writeF64(addr, data); }
    @Override public double readDouble(int addr) { return delegate.readDouble(addr); }
    @Override public long readF64(int addr) { return delegate.readF64(addr); }
    @Override public void zero() { delegate.zero(); }
    @Override public void fill(byte value, int fromIndex, int toIndex) { delegate.fill(value, fromIndex, toIndex); }
    @Override public void copy(int dest, int src, int size) { delegate.copy(dest, src, size); }
    @Override public void drop(int segment) { delegate.drop(segment); }
}
