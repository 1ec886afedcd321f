package dev.astrid.host.ipc.internal;

import static dev.astrid.host.ipc.internal.Fixture.assertHostError;
import static dev.astrid.host.ipc.internal.Fixture.b;
import static dev.astrid.host.ipc.internal.Fixture.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubscribeTest {
    @TempDir
    Path tmp;
    Fixture f;

    @BeforeEach
    void setUp() {
        f = new Fixture(tmp);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private String refusal(List<String> acl, String pattern) {
        CapsuleIpc ipc = f.bind(f.capsule("c" + f.bus.recipientCount() + acl.hashCode(), List.of(), acl));
        try {
            ipc.ipcSubscribe(b(pattern));
            return null;
        } catch (HostException e) {
            return e.getMessage();
        }
    }

    @Test
    void theSubscribeAclMatrix() {
        assertThat(refusal(List.of("foo.bar"), "foo.bar")).as("exact").isNull();
        assertThat(refusal(List.of("foo.*"), "foo.bar")).as("wildcard ACL").isNull();
        assertThat(refusal(List.of("foo.*"), "foo.*")).as("wildcard pattern under a wildcard ACL").isNull();
        assertThat(refusal(List.of("*.bar"), "foo.bar")).as("leading wildcard ACL").isNull();
        assertThat(refusal(List.of("foo.*"), "foo.bar.baz")).as("segment-count mismatch")
                .contains("may not subscribe to 'foo.bar.baz'").contains("foo.*");
        assertThat(refusal(List.of("foo.*"), "foo")).as("shorter pattern").contains("may not subscribe");
        assertThat(refusal(List.of("foo.bar"), "foo.*")).as("wildcard pattern, exact ACL").contains("may not subscribe");
        assertThat(refusal(List.of("foo..bar", ".foo", "foo."), "foo.bar")).as("malformed ACL")
                .contains("may not subscribe");
        assertThat(refusal(List.of(), "foo.bar")).as("no ACL").contains("declares no ipc_subscribe");
        assertThat(refusal(List.of("x.y", "foo.*"), "foo.bar")).as("any entry may allow").isNull();
    }

    @Test
    void malformedPatternsAreRefusedBeforeTheAcl() {
        List<String> everything = List.of("*", "*.*", "*.*.*", "*.*.*.*.*.*.*.*.*");
        assertThat(refusal(everything, "a..b")).contains("empty segment");
        assertThat(refusal(everything, "")).contains("empty segment");
        assertThat(refusal(everything, ".a")).contains("empty segment");
        assertThat(refusal(everything, "a.*.b")).contains("'*' is only allowed as the last segment");
        assertThat(refusal(everything, "*.b")).contains("'*' is only allowed as the last segment");
        assertThat(refusal(everything, "a.b.c.d.e.f.g.h.i")).contains("9 segments");
        assertThat(refusal(everything, "x".repeat(257))).isEqualTo("Topic exceeds maximum allowed length (256 bytes)");
        assertThat(refusal(everything, "*")).isNull();
    }

    @Test
    void interceptorSubscriptionsCountTowardsTheLimit() {
        CapsuleManifest m = CapsuleManifest.bare("looper")
                .withCapabilities(Capabilities.builder().ipcSubscribe("t.*", "a.b", "c.d").build())
                .withInterceptors(List.of(new CapsuleManifest.Interceptor("a.b", "one"),
                        new CapsuleManifest.Interceptor("c.d", "two")));
        CapsuleIpc ipc = f.bind(f.host.capsule("looper").manifest(m)
                .exports(List.of("run"), (e, in) -> new byte[0]).build());
        for (int i = 0; i < 126; i++) {
            ipc.ipcSubscribe(b("t.x"));
        }
        assertHostError(() -> ipc.ipcSubscribe(b("t.x"))).hasMessageStartingWith("Subscription limit reached");
        // A freed slot can be used again, with a new handle.
        ipc.ipcUnsubscribe(b("3"));
        assertThat(s(ipc.ipcSubscribe(b("t.x")))).isEqualTo("129");
    }

    @Test
    void unsubscribeErrorsAreClear() {
        CapsuleManifest m = CapsuleManifest.bare("looper")
                .withCapabilities(Capabilities.builder().ipcSubscribe("t.*", "a.b").build())
                .withInterceptors(List.of(new CapsuleManifest.Interceptor("a.b", "one")));
        CapsuleIpc ipc = f.bind(f.host.capsule("looper").manifest(m)
                .exports(List.of("run"), (e, in) -> new byte[0]).build());
        assertHostError(() -> ipc.ipcUnsubscribe(b("1")))
                .hasMessage("Cannot unsubscribe a runtime-owned interceptor handle: 1");
        assertHostError(() -> ipc.ipcUnsubscribe(b("+1")))
                .hasMessage("Cannot unsubscribe a runtime-owned interceptor handle: 1");
        assertHostError(() -> ipc.ipcUnsubscribe(b("2"))).hasMessage("Subscription handle not found: 2");
        assertHostError(() -> ipc.ipcUnsubscribe(b("x"))).hasMessageContaining("invalid subscription handle 'x'");
        assertHostError(() -> ipc.ipcUnsubscribe(b("1".repeat(33)))).hasMessageContaining("exceeds maximum allowed limit");
        assertHostError(() -> ipc.ipcUnsubscribe(new byte[] {(byte) 0xC0})).hasMessageContaining("not valid UTF-8");
        assertHostError(() -> ipc.ipcUnsubscribe(b("\u0661"))).as("non-ASCII digit")
                .hasMessageContaining("expected a decimal number");
        assertHostError(() -> ipc.ipcUnsubscribe(b("18446744073709551616"))).hasMessageContaining("larger than");
        // The largest u64 parses and is simply unknown.
        assertHostError(() -> ipc.ipcUnsubscribe(b("18446744073709551615")))
                .hasMessage("Subscription handle not found: 18446744073709551615");
    }

    @Test
    void unsubscribingTakesTheQueueOffTheBus() {
        CapsuleIpc ipc = f.bind(f.capsule("c", List.of(), List.of("t.*")));
        int before = f.bus.recipientCount();
        String h = s(ipc.ipcSubscribe(b("t.x")));
        assertThat(f.bus.recipientCount()).isEqualTo(before + 1);
        ipc.ipcUnsubscribe(b(h));
        assertThat(f.bus.recipientCount()).isEqualTo(before);
    }
}
