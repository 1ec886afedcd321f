package dev.astrid.host.ipc.internal;

import static dev.astrid.host.ipc.internal.Fixture.assertHostError;
import static dev.astrid.host.ipc.internal.Fixture.b;
import static dev.astrid.host.ipc.internal.Fixture.json;
import static dev.astrid.host.ipc.internal.Fixture.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.astrid.host.ipc.internal.Fixture.ManualClock;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.tck.TestCapsule;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishTest {
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path tmp;
    Fixture f;
    ManualClock clock;

    @BeforeEach
    void setUp() {
        f = new Fixture(tmp);
        clock = new ManualClock(Instant.parse("2026-03-16T12:00:00Z"));
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private CapsuleIpc publisher(List<String> publish) {
        return f.bind(f.capsule("pub", publish, List.of("*", "*.*"), ProviderSettings.empty(), clock));
    }

    /** A JSON string payload of exactly {@code size} bytes. */
    private static byte[] payloadOf(int size) {
        byte[] p = new byte[size];
        Arrays.fill(p, (byte) 'a');
        p[0] = '"';
        p[size - 1] = '"';
        return p;
    }

    @Test
    void checksComeInUpstreamOrder() {
        CapsuleIpc ipc = publisher(List.of("ok.topic"));
        byte[] tooBig = payloadOf(5 * MIB + 1);
        // 1. topic length first, even with an oversized payload.
        assertHostError(() -> ipc.ipcPublish(b("a".repeat(257)), tooBig))
                .hasMessage("Topic exceeds maximum allowed length (256 bytes)");
        // 2. payload size before the topic's validity and the ACL.
        assertHostError(() -> ipc.ipcPublish(b("not..valid"), tooBig)).hasMessageStartingWith("Payload too large");
        // 3. topic validity before the ACL.
        assertHostError(() -> ipc.ipcPublish(b("not..valid"), b("{}"))).hasMessageContaining("empty segment");
        assertHostError(() -> ipc.ipcPublish(new byte[] {'a', (byte) 0xFF}, b("{}")))
                .hasMessage("topic is not valid UTF-8");
        assertHostError(() -> ipc.ipcPublish(b("a.b.c.d.e.f.g.h.i"), b("{}"))).hasMessageContaining("9 segments");
        // 4. the ACL before the payload's JSON.
        assertHostError(() -> ipc.ipcPublish(b("other.topic"), b("not json")))
                .hasMessageContaining("may not publish on 'other.topic'");
        // 5. finally the JSON.
        assertHostError(() -> ipc.ipcPublish(b("ok.topic"), b("not json")))
                .hasMessageStartingWith("IPC payload is not valid JSON");
    }

    @Test
    void aTopicOfExactly256BytesAndEightSegmentsIsAccepted() {
        String topic = "a.b.c.d.e.f.g." + "h".repeat(256 - 14);
        CapsuleIpc ipc = publisher(List.of("*.*.*.*.*.*.*.*"));
        ipc.ipcPublish(b(topic), b("1"));
    }

    @Test
    void withoutAnyPublishCapabilityEverythingIsRefused() {
        CapsuleIpc ipc = publisher(List.of());
        assertHostError(() -> ipc.ipcPublish(b("a.b"), b("1"))).hasMessageContaining("declares no ipc_publish");
    }

    @Test
    void aPayloadOfFiveMebibytesPassesAndOneByteMoreIsTooLarge() {
        CapsuleIpc ipc = publisher(List.of("big.x"));
        ipc.ipcPublish(b("big.x"), payloadOf(5 * MIB));
        assertHostError(() -> ipc.ipcPublish(b("big.x"), payloadOf(5 * MIB + 1)))
                .hasMessageStartingWith("Payload too large");
    }

    @Test
    void tenMebibytesPerSecondThenTheRateLimit() {
        CapsuleIpc ipc = publisher(List.of("big.x"));
        ipc.ipcPublish(b("big.x"), payloadOf(5 * MIB));
        ipc.ipcPublish(b("big.x"), payloadOf(5 * MIB));
        assertHostError(() -> ipc.ipcPublish(b("big.x"), b("1"))).hasMessageStartingWith("Rate limit exceeded");
        clock.advance(Duration.ofMillis(999));
        assertHostError(() -> ipc.ipcPublish(b("big.x"), b("1"))).hasMessageStartingWith("Rate limit exceeded");
        clock.advance(Duration.ofMillis(1));
        ipc.ipcPublish(b("big.x"), b("1"));
    }

    @Test
    void quotaIsTakenEvenWhenALaterCheckRefuses() {
        CapsuleIpc ipc = publisher(List.of("ok.x"));
        byte[] fiveMiB = payloadOf(5 * MIB);
        assertHostError(() -> ipc.ipcPublish(b("denied.x"), fiveMiB)).hasMessageContaining("may not publish");
        assertHostError(() -> ipc.ipcPublish(b("denied.x"), fiveMiB)).hasMessageContaining("may not publish");
        assertHostError(() -> ipc.ipcPublish(b("ok.x"), b("1"))).hasMessageStartingWith("Rate limit exceeded");
    }

    @Test
    void theRateLimitIsPerCapsule() {
        CapsuleIpc a = publisher(List.of("big.x"));
        CapsuleIpc other = f.bind(f.capsule("other", List.of("big.x"), List.of(), ProviderSettings.empty(), clock));
        a.ipcPublish(b("big.x"), payloadOf(5 * MIB));
        a.ipcPublish(b("big.x"), payloadOf(5 * MIB));
        other.ipcPublish(b("big.x"), payloadOf(5 * MIB));
    }

    @Test
    void twoFullSizeMessagesDrainOneAtATimeWithDroppedOne() {
        TestCapsule cap = f.capsule("both", List.of("big.x"), List.of("big.x"), ProviderSettings.empty(), clock);
        CapsuleIpc ipc = f.bind(cap);
        String handle = s(ipc.ipcSubscribe(b("big.x")));
        ipc.ipcPublish(b("big.x"), payloadOf(5 * MIB));
        ipc.ipcPublish(b("big.x"), payloadOf(5 * MIB));
        JsonObject env = json(ipc.ipcPoll(b(handle)));
        assertThat(env.getAsJsonArray("messages")).hasSize(1);
        assertThat(env.get("dropped").getAsLong()).isEqualTo(1);
        JsonObject next = json(ipc.ipcPoll(b(handle)));
        assertThat(next.getAsJsonArray("messages")).isEmpty();
        assertThat(next.get("dropped").getAsLong()).isZero();
    }

    @Test
    void messagesCarryTheCapsulesSessionTheClockAndAnIncreasingSeq() {
        TestCapsule cap = f.capsule("both", List.of("t.x"), List.of("t.x"), ProviderSettings.empty(), clock);
        CapsuleIpc ipc = f.bind(cap);
        String handle = s(ipc.ipcSubscribe(b("t.x")));
        ipc.ipcPublish(b("t.x"), b("1"));
        ipc.ipcPublish(b("t.x"), b("2"));
        var messages = json(ipc.ipcPoll(b(handle))).getAsJsonArray("messages");
        JsonObject first = messages.get(0).getAsJsonObject();
        JsonObject second = messages.get(1).getAsJsonObject();
        assertThat(first.get("source_id").getAsString()).isEqualTo(cap.sessionId().toString());
        assertThat(first.get("timestamp").getAsString()).isEqualTo("2026-03-16T12:00:00Z");
        assertThat(first.get("signature").isJsonNull()).isTrue();
        assertThat(second.get("seq").getAsLong()).isGreaterThan(first.get("seq").getAsLong());
    }

    @Test
    void settingsAreValidatedAtBind() {
        TestCapsule bad = f.capsule("bad", List.of(), List.of(),
                ProviderSettings.of(java.util.Map.of("ipc.queue-capacity", "0")), clock);
        assertHostError(() -> f.bind(bad)).hasMessageContaining("ipc.queue-capacity");
        TestCapsule notNumber = f.capsule("nan", List.of(), List.of(),
                ProviderSettings.of(java.util.Map.of("ipc.hook-backlog", "lots")), clock);
        assertHostError(() -> f.bind(notNumber)).hasMessageContaining("ipc.hook-backlog");
    }

    @Test
    void theQueueCapacitySettingBoundsEachSubscription() {
        TestCapsule cap = f.capsule("small", List.of("t.x"), List.of("t.x"),
                ProviderSettings.of(java.util.Map.of("ipc.queue-capacity", "2")), clock);
        CapsuleIpc ipc = f.bind(cap);
        String handle = s(ipc.ipcSubscribe(b("t.x")));
        for (int i = 0; i < 5; i++) {
            ipc.ipcPublish(b("t.x"), b(Integer.toString(i)));
        }
        JsonObject env = json(ipc.ipcPoll(b(handle)));
        assertThat(env.getAsJsonArray("messages")).hasSize(2);
        assertThat(env.get("lagged").getAsLong()).isEqualTo(3);
        assertThat(env.getAsJsonArray("messages").get(0).getAsJsonObject().getAsJsonObject("payload").get("data")
                .getAsInt()).isEqualTo(3);
    }

    @Test
    void aPublishOnAnInterruptedCallStopsAndPublishesNothing() {
        CapsuleIpc ipc = publisher(List.of("big.x"));
        String handle = s(ipc.ipcSubscribe(b("big.x")));
        byte[] big = b("[" + "1,".repeat(200_000) + "1]");
        // The host cancels a call that ran past its deadline by interrupting the plugin thread.
        Thread.currentThread().interrupt();
        try {
            assertHostError(() -> ipc.ipcPublish(b("big.x"), big))
                    .hasMessage("call interrupted while reading the payload for 'big.x'");
            assertThat(Thread.currentThread().isInterrupted()).as("the flag stays set for the host").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(json(ipc.ipcPoll(b(handle))).getAsJsonArray("messages")).isEmpty();
    }
}
