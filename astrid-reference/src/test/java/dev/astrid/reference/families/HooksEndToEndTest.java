package dev.astrid.reference.families;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonParser;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.reference.AbiDriver;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.Guests;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.TestHosts;
import dev.astrid.sys.abi.HostFunction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** astrid_trigger_hook between real capsules. */
class HooksEndToEndTest {
    @TempDir
    Path dir;

    private LoadedCapsule load(AstridHost host, String name, String guest, CapsuleManifest.Interceptor... interceptors)
            throws Exception {
        return host.load(CapsuleManifest.bare(name).withInterceptors(List.of(interceptors)), Guests.bytes(guest),
                Optional.of(Files.createDirectories(dir.resolve("c-" + name))));
    }

    @Test
    void matchingInterceptorsAnswerAndTheRestAreLeftOut() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver caller = new AbiDriver(load(host, "caller", "abi-driver"));
            load(host, "answers", "kernel-probe", new CapsuleManifest.Interceptor("tool.before", "check"));
            LoadedCapsule silent = load(host, "silent", "hook-recorder", new CapsuleManifest.Interceptor("tool.*", "seen"));
            load(host, "elsewhere", "kernel-probe", new CapsuleManifest.Interceptor("other.event", "never"));
            String replies = caller.text(HostFunction.TRIGGER_HOOK, "{\"hook\":\"tool.before\",\"payload\":{\"x\":1}}");
            String payloadBytes = "123,34,120,34,58,49,125"; // {"x":1}
            assertThat(JsonParser.parseString(replies)).isEqualTo(JsonParser.parseString(
                    "[{\"name\":\"check\",\"arguments\":[" + payloadBytes + "]}]"));
            String recorded = new String(silent.call("last", new byte[0], Invocation.Caller.NONE, Duration.ofSeconds(10)),
                    StandardCharsets.UTF_8);
            assertThat(JsonParser.parseString(recorded)).isEqualTo(JsonParser.parseString(
                    "{\"name\":\"seen\",\"arguments\":[" + payloadBytes + "]}"));
            assertThat(caller.text(HostFunction.TRIGGER_HOOK, "{\"hook\":\"nobody.listens\",\"payload\":null}")).isEqualTo("[]");
        }
    }

    @Test
    void badEventsTrap() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver caller = new AbiDriver(load(host, "caller", "abi-driver"));
            assertThat(catchThrowableOfType(GuestCallException.class, () -> caller.text(HostFunction.TRIGGER_HOOK, "{\"hook\":")))
                    .hasMessageStartingWith("astrid_trigger_hook: trigger_hook failed: the event is not valid JSON");
            assertThat(catchThrowableOfType(GuestCallException.class, () -> caller.text(HostFunction.TRIGGER_HOOK, "{\"hook\":1}")))
                    .hasMessageContaining("the event must be {\"hook\":\"<topic>\",\"payload\":<JSON>}");
            assertThat(catchThrowableOfType(GuestCallException.class,
                    () -> caller.text(HostFunction.TRIGGER_HOOK, "{\"hook\":\"a..b\",\"payload\":1}")))
                    .hasMessageContaining("is not a valid dot-separated topic");
        }
    }
}
