package dev.astrid.engine.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Extism kernel memory, kept on the Java side: one {@code byte[]} per block.
 *
 * <p>A handle is {@code index << 32 | offset}, so {@code handle + i} addresses byte {@code i} of
 * the block, and 0 (index 0) is never a block. Every load and store is bounds-checked against its
 * own block: a bad handle traps and never touches another block. The bytes of all live blocks are
 * capped; an allocation over the cap returns 0, as an out-of-memory Extism kernel does.
 *
 * <p>Not thread-safe: one store serves one plugin instance, which runs one call at a time.
 */
public final class BlockStore {
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int INITIAL_SLOTS = 64;
    /** Upper bound on live blocks, so that a guest allocating empty-ish blocks cannot grow the table forever. */
    private static final int MAX_BLOCKS = 1 << 22;

    private final long maxBytes;
    private byte[][] blocks = new byte[INITIAL_SLOTS][];
    private int[] freeSlots = new int[INITIAL_SLOTS];
    private int freeCount;
    private int nextSlot = 1;
    private long bytesInUse;
    private boolean capHit;

    /** A store whose live blocks may hold at most {@code maxBytes} bytes in total. */
    public BlockStore(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Allocates a zeroed block; returns its handle, or 0 for a zero size or when over the cap. */
    public long alloc(long size) {
        if (size <= 0) {
            return 0;
        }
        if (size > Integer.MAX_VALUE - 16 || size > maxBytes - bytesInUse) {
            capHit = true;
            return 0;
        }
        int slot;
        if (freeCount > 0) {
            slot = freeSlots[--freeCount];
        } else {
            if (nextSlot >= MAX_BLOCKS) {
                capHit = true;
                return 0;
            }
            slot = nextSlot++;
            if (slot >= blocks.length) {
                blocks = Arrays.copyOf(blocks, blocks.length * 2);
            }
        }
        blocks[slot] = new byte[(int) size];
        bytesInUse += size;
        return (long) slot << 32;
    }

    /**
     * Allocates a block holding a copy of the bytes; 0 for null or empty.
     *
     * @param what the function the block is for, which names the trap when kernel memory is full
     */
    public long allocBytes(byte[] bytes, String what) {
        if (bytes == null || bytes.length == 0) {
            return 0;
        }
        long h = alloc(bytes.length);
        if (h == 0) {
            throw KernelTrap.outOfMemory(what + ": out of kernel memory: cannot hold " + bytes.length
                    + " more bytes (limit " + maxBytes + " bytes)");
        }
        System.arraycopy(bytes, 0, blocks[(int) (h >>> 32)], 0, bytes.length);
        return h;
    }

    /** Frees the block starting at a handle; 0, interior pointers and unknown handles are ignored. */
    public void free(long handle) {
        byte[] b = blockAt(handle);
        if (b == null) {
            return;
        }
        int slot = (int) (handle >>> 32);
        blocks[slot] = null;
        bytesInUse -= b.length;
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, freeSlots.length * 2);
        }
        freeSlots[freeCount++] = slot;
    }

    /** Whether a live block starts exactly at the handle. */
    public boolean isLive(long handle) {
        return blockAt(handle) != null;
    }

    /** The length of the live block that starts at the handle, else 0. */
    public long length(long handle) {
        byte[] b = blockAt(handle);
        return b == null ? 0 : b.length;
    }

    /** The live block that starts exactly at the handle, or null. */
    private byte[] blockAt(long handle) {
        if ((int) handle != 0) {
            return null;
        }
        long slot = handle >>> 32;
        if (slot == 0 || slot >= nextSlot) {
            return null;
        }
        return blocks[(int) slot];
    }

    /** Reads one byte at a kernel address. */
    public int loadU8(long addr) {
        byte[] b = blockFor(addr, 1, "load_u8");
        return b[(int) addr] & 0xff;
    }

    /** Reads eight little-endian bytes at a kernel address. */
    public long loadU64(long addr) {
        byte[] b = blockFor(addr, 8, "load_u64");
        return (long) LONG_LE.get(b, (int) addr);
    }

    /** Writes one byte at a kernel address. */
    public void storeU8(long addr, int value) {
        byte[] b = blockFor(addr, 1, "store_u8");
        b[(int) addr] = (byte) value;
    }

    /** Writes eight little-endian bytes at a kernel address. */
    public void storeU64(long addr, long value) {
        byte[] b = blockFor(addr, 8, "store_u64");
        LONG_LE.set(b, (int) addr, value);
    }

    private byte[] blockFor(long addr, int width, String op) {
        long slot = addr >>> 32;
        int offset = (int) addr;
        byte[] b = slot > 0 && slot < nextSlot ? blocks[(int) slot] : null;
        if (b == null || offset < 0 || offset > b.length - width) {
            throw new KernelTrap(op + ": address 0x" + Long.toHexString(addr) + " is outside every live block");
        }
        return b;
    }

    /**
     * Copies out the whole block that starts at a handle. Handle 0 is empty.
     *
     * @param limit the largest length accepted; a longer block is refused before any copy
     * @param what how the caller names the block in errors, e.g. {@code astrid_kv_get}
     */
    public byte[] read(long handle, long limit, String what) {
        if (handle == 0) {
            return EMPTY;
        }
        byte[] b = blockAt(handle);
        if (b == null) {
            throw new KernelTrap(what + ": invalid memory handle 0x" + Long.toHexString(handle));
        }
        if (b.length > limit) {
            throw new KernelTrap(what + ": memory allocation of " + b.length
                    + " bytes exceeds maximum allowed limit of " + limit + " bytes");
        }
        return b.clone();
    }

    /** The byte at {@code offset} of the block starting at {@code handle}, for relative loads. */
    public int loadU8Relative(long handle, long offset, String op) {
        byte[] b = blockAt(handle);
        if (b == null || offset < 0 || offset >= b.length) {
            throw new KernelTrap(op + ": offset " + offset + " is outside the input");
        }
        return b[(int) offset] & 0xff;
    }

    /** Eight little-endian bytes at {@code offset} of the block starting at {@code handle}. */
    public long loadU64Relative(long handle, long offset, String op) {
        byte[] b = blockAt(handle);
        if (b == null || offset < 0 || offset > b.length - 8) {
            throw new KernelTrap(op + ": offset " + offset + " is outside the input");
        }
        return (long) LONG_LE.get(b, (int) offset);
    }

    /** Frees every block. Handles from before are invalid afterwards. */
    public void reset() {
        if (blocks.length > 4 * INITIAL_SLOTS) {
            blocks = new byte[INITIAL_SLOTS][];
            freeSlots = new int[INITIAL_SLOTS];
        } else {
            Arrays.fill(blocks, 0, Math.min(nextSlot, blocks.length), null);
        }
        freeCount = 0;
        nextSlot = 1;
        bytesInUse = 0;
        capHit = false;
    }

    /** Bytes held by live blocks. */
    public long bytesInUse() {
        return bytesInUse;
    }

    /** The cap on live bytes. */
    public long maxBytes() {
        return maxBytes;
    }

    /** Whether an allocation was refused for lack of room since the last reset. */
    public boolean capHit() {
        return capHit;
    }

    private static final byte[] EMPTY = new byte[0];
}
