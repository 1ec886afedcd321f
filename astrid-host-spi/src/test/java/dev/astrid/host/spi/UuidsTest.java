package dev.astrid.host.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UuidsTest {
    private static final UUID ID = UUID.fromString("67e55044-10b1-426f-9247-bb680e5fe0c8");

    @ParameterizedTest
    @ValueSource(strings = {
        "67e55044-10b1-426f-9247-bb680e5fe0c8",
        "67E55044-10B1-426F-9247-BB680E5FE0C8",
        "67e5504410b1426f9247bb680e5fe0c8",
        "{67e55044-10b1-426f-9247-bb680e5fe0c8}",
        "urn:uuid:67e55044-10b1-426f-9247-bb680e5fe0c8",
    })
    void theFormsUpstreamAcceptsAreRead(String text) {
        assertThat(Uuids.require(text)).isEqualTo(ID);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "1-2-3-4-5", "67e55044-10b1-426f-9247-bb680e5fe0c", "67e55044-10b1-426f-9247-bb680e5fe0c8a",
        "67e55044_10b1_426f_9247_bb680e5fe0c8", "g7e55044-10b1-426f-9247-bb680e5fe0c8", " 67e55044-10b1-426f-9247-bb680e5fe0c8",
        "{67e5504410b1426f9247bb680e5fe0c8}", "67e55044-10b1426f-9247-bb680e5fe0c8-", "+7e55044-10b1-426f-9247-bb680e5fe0c8",
        "٦7e55044-10b1-426f-9247-bb680e5fe0c8", "urn:uuid:67e5504410b1426f9247bb680e5fe0c8",
        "URN:UUID:67e55044-10b1-426f-9247-bb680e5fe0c8",
    })
    void anythingElseIsRefused(String text) {
        assertThat(Uuids.parse(text)).isEmpty();
        assertThatThrownBy(() -> Uuids.require(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("expected a UUID such as 67e55044-10b1-426f-9247-bb680e5fe0c8, got \"");
    }
}
