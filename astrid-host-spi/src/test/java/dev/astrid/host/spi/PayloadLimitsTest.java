package dev.astrid.host.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.sys.abi.AbiFunction;
import org.junit.jupiter.api.Test;

class PayloadLimitsTest {

    @Test
    void limitsFollowTheContract() {
        assertThat(PayloadLimits.maxArgument(AbiFunction.READ_FILE, 0)).isEqualTo(4096);
        assertThat(PayloadLimits.maxArgument(AbiFunction.WRITE_FILE, 1)).isEqualTo(10 * 1024 * 1024);
        assertThat(PayloadLimits.maxArgument(AbiFunction.LOG, 0)).isEqualTo(64);
        assertThat(PayloadLimits.maxArgument(AbiFunction.LOG, 1)).isEqualTo(65536);
        assertThat(PayloadLimits.maxArgument(AbiFunction.IPC_RECV, 1)).isEqualTo(32);
        assertThat(PayloadLimits.maxArgument(AbiFunction.UPLINK_SEND, 2)).isEqualTo(1024 * 1024);
        assertThat(PayloadLimits.maxArgument(AbiFunction.IDENTITY_LINK, 0)).isEqualTo(10 * 1024 * 1024);
    }

    @Test
    void everyParameterHasALimit() {
        for (AbiFunction fn : AbiFunction.values()) {
            for (int i = 0; i < fn.paramCount(); i++) {
                assertThat(PayloadLimits.maxArgument(fn, i)).as(fn.symbol()).isPositive();
            }
        }
    }

    @Test
    void tooLargeMessage() {
        assertThat(PayloadLimits.tooLarge(65537, 65536))
                .isEqualTo("memory allocation of 65537 bytes exceeds maximum allowed limit of 65536 bytes");
        assertThatThrownBy(() -> PayloadLimits.requireAtMost(new byte[5], 4)).isInstanceOf(HostException.class)
                .hasMessage("memory allocation of 5 bytes exceeds maximum allowed limit of 4 bytes");
    }
}
