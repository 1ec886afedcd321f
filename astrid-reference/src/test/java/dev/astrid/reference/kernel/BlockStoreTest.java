package dev.astrid.reference.kernel;

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
