package dev.astrid.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BlockStoreTest {

    @Test
    void handlesAddressBytesOfTheirOwnBlockOnly() {
        BlockStore m = new BlockStore(1024);
        long a = m.alloc(8);
        long b = m.alloc(8);
        m.storeU64(a, 0x0102030405060708L);
        m.storeU8(b + 7, 0xab);
        assertThat(m.loadU64(a)).isEqualTo(0x0102030405060708L);
        assertThat(m.loadU8(a)).isEqualTo(0x08);
        assertThat(m.loadU8(b + 7)).isEqualTo(0xab);
        assertThatThrownBy(() -> m.loadU64(a + 1)).isInstanceOf(KernelTrap.class).hasMessageContaining("load_u64");
        assertThatThrownBy(() -> m.storeU8(a + 8, 1)).isInstanceOf(KernelTrap.class);
        assertThat(m.loadU64(b) >>> 56).as("b untouched by the refused store").isEqualTo(0xab);
    }

    @Test
    void lengthAnswersOnlyAtTheStartOfALiveBlock() {
        BlockStore m = new BlockStore(1024);
        long a = m.alloc(10);
        assertThat(m.length(a)).isEqualTo(10);
        assertThat(m.length(a + 1)).isZero();
        assertThat(m.length(0)).isZero();
        m.free(a);
        assertThat(m.length(a)).isZero();
        m.free(a);
        m.free(12345);
        assertThat(m.alloc(0)).isZero();
    }

    @Test
    void theCapCountsLiveBytesAndFreeingGivesThemBack() {
        BlockStore m = new BlockStore(100);
        long a = m.alloc(60);
        assertThat(m.alloc(50)).isZero();
        assertThat(m.capHit()).isTrue();
        m.free(a);
        assertThat(m.alloc(100)).isNotZero();
        m.reset();
        assertThat(m.bytesInUse()).isZero();
        assertThat(m.capHit()).isFalse();
        assertThatThrownBy(() -> m.allocBytes(new byte[101], "test")).isInstanceOf(KernelTrap.class).hasMessageContaining("out of kernel memory");
    }

    @Test
    void readChecksTheLimitBeforeCopying() {
        BlockStore m = new BlockStore(1024);
        long h = m.allocBytes(new byte[] {1, 2, 3}, "test");
        assertThat(m.read(h, 3, "f")).containsExactly(1, 2, 3);
        assertThat(m.read(0, 0, "f")).isEmpty();
        assertThatThrownBy(() -> m.read(h, 2, "astrid_x")).hasMessage(
                "astrid_x: memory allocation of 3 bytes exceeds maximum allowed limit of 2 bytes");
        assertThatThrownBy(() -> m.read(h + 1, 10, "astrid_x")).hasMessageContaining("astrid_x: invalid memory handle");
    }

    @Test
    void extremeSizesAddressesAndOffsetsAreRefusedNamingTheOperation() {
        BlockStore m = new BlockStore(1024);
        long a = m.alloc(16);
        for (long size : new long[] {-1, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE, 1L << 32}) {
            assertThat(m.alloc(size)).as("alloc(%d)", size).isZero();
        }
        for (long addr : new long[] {-1, Long.MIN_VALUE, Long.MAX_VALUE, a | 0xffff_fff8L, a | 0x8000_0000L, a + 16, 0}) {
            assertThatThrownBy(() -> m.loadU8(addr)).hasMessageStartingWith("load_u8: address 0x");
            assertThatThrownBy(() -> m.loadU64(addr)).hasMessageStartingWith("load_u64: address 0x");
            assertThatThrownBy(() -> m.storeU8(addr, 1)).hasMessageStartingWith("store_u8: address 0x");
            assertThatThrownBy(() -> m.storeU64(addr, 1)).hasMessageStartingWith("store_u64: address 0x");
            assertThat(m.length(addr)).isZero();
            m.free(addr);
        }
        for (long offset : new long[] {-1, -8, 16, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32}) {
            assertThatThrownBy(() -> m.loadU8Relative(a, offset, "input_load_u8"))
                    .hasMessage("input_load_u8: offset " + offset + " is outside the input");
            assertThatThrownBy(() -> m.loadU64Relative(a, offset, "input_load_u64"))
                    .hasMessage("input_load_u64: offset " + offset + " is outside the input");
        }
        assertThatThrownBy(() -> m.loadU64Relative(a, 9, "input_load_u64")).hasMessage("input_load_u64: offset 9 is outside the input");
        assertThat(m.length(a)).as("the block survived every refused access").isEqualTo(16);
    }

    @Test
    void resetInvalidatesEveryHandle() {
        BlockStore m = new BlockStore(1 << 20);
        long[] hs = new long[1000];
        for (int i = 0; i < hs.length; i++) {
            hs[i] = m.alloc(16);
        }
        m.reset();
        for (long h : hs) {
            assertThat(m.length(h)).isZero();
        }
        assertThat(m.alloc(16)).isEqualTo(hs[0]);
    }
}
