package dev.astrid.host.ipc.internal;

import static dev.astrid.host.ipc.internal.Fixture.assertHostError;
import static dev.astrid.host.ipc.internal.Fixture.b;
import static dev.astrid.host.ipc.internal.Fixture.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.spi.UplinkConsumer;
import dev.astrid.host.spi.UplinkMessage;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.host.tck.TestCapsule;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UplinkTest {
    @TempDir
    Path tmp;
    Fixture f;
    final List<UplinkMessage> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        f = new Fixture(tmp);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private CapsuleIpc withUplinkTable(UplinkConsumer consumer) {
        CapsuleManifest m = CapsuleManifest.bare("bridge")
                .withUplinks(List.of(new CapsuleManifest.Uplink("main", "telegram", "chat")));
        return f.bind(f.host.capsule("bridge").manifest(m).uplinkConsumer(consumer)
                .clock(java.time.Clock.fixed(Instant.parse("2026-03-16T00:00:00Z"), java.time.ZoneOffset.UTC)).build());
    }

    @Test
    void anAcceptedSendReachesTheConsumerWithNormalizedFields() {
        CapsuleIpc ipc = withUplinkTable(received::add);
        String id = s(ipc.uplinkRegister(b("main"), b("  TeleGram\t"), b("HUMAN")));
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);

        assertThat(s(ipc.uplinkSend(b(id), b("user-7"), b("hello \u00e9")))).isEqualTo("{\"ok\":true}");

        assertThat(received).containsExactly(new UplinkMessage("bridge", id, "main", "telegram", "user-7",
                "hello \u00e9", Instant.parse("2026-03-16T00:00:00Z")));
    }

    @Test
    void aRefusingConsumerMeansDropped() {
        CapsuleIpc ipc = withUplinkTable(UplinkConsumer.NONE);
        String id = s(ipc.uplinkRegister(b("main"), b("telegram"), b("chat")));
        assertThat(s(ipc.uplinkSend(b(id), b("u"), b("c")))).isEqualTo("{\"ok\":false,\"dropped\":true}");
    }

    @Test
    void aFailingConsumerMeansDroppedToo() {
        CapsuleIpc ipc = withUplinkTable(m -> {
            throw new IllegalStateException("consumer bug");
        });
        String id = s(ipc.uplinkRegister(b("main"), b("telegram"), b("chat")));
        assertThat(s(ipc.uplinkSend(b(id), b("u"), b("c")))).isEqualTo("{\"ok\":false,\"dropped\":true}");
    }

    @Test
    void theCapabilityFlagAloneIsEnough() {
        TestCapsule c = f.host.capsule("flagged").capabilities(Capabilities.builder().uplink(true).build())
                .uplinkConsumer(received::add).build();
        CapsuleIpc ipc = f.bind(c);
        String id = s(ipc.uplinkRegister(b("n"), b("p"), b("notify")));
        assertThat(s(ipc.uplinkSend(b(id), b("u"), b("c")))).isEqualTo("{\"ok\":true}");
    }

    @Test
    void withoutAnUplinkCapabilitySendIsRefusedButRegisterIsNot() {
        CapsuleIpc ipc = f.bind(f.host.capsule("plain").uplinkConsumer(received::add).build());
        String id = s(ipc.uplinkRegister(b("n"), b("p"), b("bridge")));
        assertHostError(() -> ipc.uplinkSend(b(id), b("u"), b("c")))
                .hasMessageStartingWith("capsule plain has no uplink capability");
        assertThat(received).isEmpty();
    }

    @Test
    void profilesAreNormalizedOrRefused() {
        CapsuleIpc ipc = withUplinkTable(received::add);
        for (String ok : new String[] {"chat", "Interactive", "NOTIFY", "bridge", "human"}) {
            ipc.uplinkRegister(b("n-" + ok), b("p"), b(ok));
        }
        assertHostError(() -> ipc.uplinkRegister(b("x"), b("p"), b("robot")))
                .hasMessageStartingWith("invalid uplink profile: 'robot'");
        assertHostError(() -> ipc.uplinkRegister(b("x"), b("p"), b(" chat")))
                .hasMessageStartingWith("invalid uplink profile");
    }

    @Test
    void duplicatesAndTheThirtyThirdAreRefused() {
        CapsuleIpc ipc = withUplinkTable(received::add);
        ipc.uplinkRegister(b("main"), b("discord"), b("chat"));
        assertHostError(() -> ipc.uplinkRegister(b("main"), b(" DISCORD "), b("notify")))
                .hasMessageContaining("already registered");
        ipc.uplinkRegister(b("main"), b("slack"), b("chat"));
        for (int i = 2; i < 32; i++) {
            ipc.uplinkRegister(b("u" + i), b("discord"), b("chat"));
        }
        assertHostError(() -> ipc.uplinkRegister(b("last"), b("discord"), b("chat")))
                .hasMessageContaining("at most 32");
    }

    @Test
    void uplinkIdsAreChecked() {
        CapsuleIpc ipc = withUplinkTable(received::add);
        String id = s(ipc.uplinkRegister(b("main"), b("telegram"), b("chat")));
        assertHostError(() -> ipc.uplinkSend(b("x".repeat(65)), b("u"), b("c"))).hasMessageContaining("at most 64");
        assertHostError(() -> ipc.uplinkSend(b("x".repeat(129)), b("u"), b("c")))
                .hasMessageContaining("exceeds maximum allowed limit of 128 bytes");
        assertHostError(() -> ipc.uplinkSend(b(id), b("u".repeat(513)), b("c")))
                .hasMessageContaining("exceeds maximum allowed limit of 512 bytes");
        assertHostError(() -> ipc.uplinkSend(b(id), b("u"), new byte[1024 * 1024 + 1]))
                .hasMessageContaining("exceeds maximum allowed limit of 1048576 bytes");
        assertHostError(() -> ipc.uplinkSend(b("not-a-uuid"), b("u"), b("c"))).hasMessageContaining("not a UUID");
        assertHostError(() -> ipc.uplinkSend(b("1-1-1-1-1"), b("u"), b("c"))).hasMessageContaining("not a UUID");
        assertHostError(() -> ipc.uplinkSend(b(UUID.randomUUID().toString()), b("u"), b("c")))
                .hasMessageContaining("is not registered");
        // Rust's parser also takes the upper-case, simple, braced and URN forms.
        String simple = id.replace("-", "");
        for (String form : new String[] {id.toUpperCase(java.util.Locale.ROOT), simple, "{" + id + "}", "urn:uuid:" + id}) {
            assertThat(s(ipc.uplinkSend(b(form), b("u"), b("c")))).as(form).isEqualTo("{\"ok\":true}");
        }
        assertThat(received).extracting(UplinkMessage::uplinkId).containsOnly(id);
    }

    @Test
    void invalidUtf8InUserOrContentBecomesEmpty() {
        CapsuleIpc ipc = withUplinkTable(received::add);
        String id = s(ipc.uplinkRegister(b("main"), b("telegram"), b("chat")));
        ipc.uplinkSend(b(id), new byte[] {'a', (byte) 0xFF}, new byte[] {(byte) 0xC3});
        assertThat(received.get(0).platformUserId()).isEmpty();
        assertThat(received.get(0).content()).isEmpty();
    }
}
