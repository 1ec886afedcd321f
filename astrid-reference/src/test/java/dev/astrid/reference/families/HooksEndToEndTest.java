package dev.astrid.reference.families;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonParser;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.reference.AbiDriver;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.Guests;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.TestHosts;
import dev.astrid.sys.abi.AbiFunction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** astrid_trigger_hook between real capsules. */
class HooksEndToEndTest {
    @TempDir
    Path dir;

    /** A capsule whose ipc_subscribe capability covers its interceptors, as the IPC family requires. */
    private LoadedCapsule load(AstridHost host, String name, String guest, CapsuleManifest.Interceptor... interceptors)
            throws Exception {
        Capabilities caps = Capabilities.builder()
                .ipcSubscribe(Arrays.stream(interceptors).map(CapsuleManifest.Interceptor::event).toArray(String[]::new))
                .build();
        return load(host, CapsuleManifest.bare(name).withCapabilities(caps).withInterceptors(List.of(interceptors)), guest);
    }

    private LoadedCapsule load(AstridHost host, CapsuleManifest m, String guest) throws Exception {
        return host.load(m, Guests.bytes(guest), Optional.of(Files.createDirectories(dir.resolve("c-" + m.name()))));
    }

    /** The abi-driver as a capsule allowed to trigger these hooks. */
    private AbiDriver caller(AstridHost host, String... triggerHook) throws Exception {
        return new AbiDriver(load(host, CapsuleManifest.bare("caller")
                .withCapabilities(Capabilities.builder().triggerHook(triggerHook).build()), "abi-driver"));
    }

    private static String last(LoadedCapsule recorder) {
        return new String(recorder.call("last", new byte[0], Invocation.Caller.NONE, Duration.ofSeconds(10)),
                StandardCharsets.UTF_8);
    }

    @Test
    void matchingInterceptorsAnswerAndTheRestAreLeftOut() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver caller = caller(host, "tool.*", "nobody.*");
            load(host, "answers", "kernel-probe", new CapsuleManifest.Interceptor("tool.before", "check"));
            LoadedCapsule silent = load(host, "silent", "hook-recorder", new CapsuleManifest.Interceptor("tool.*", "seen"));
            load(host, "elsewhere", "kernel-probe", new CapsuleManifest.Interceptor("other.event", "never"));
            String replies = caller.text(AbiFunction.TRIGGER_HOOK, "{\"hook\":\"tool.before\",\"payload\":{\"x\":1}}");
            String payloadBytes = "123,34,120,34,58,49,125"; // {"x":1}
            assertThat(JsonParser.parseString(replies)).isEqualTo(JsonParser.parseString(
                    "[{\"name\":\"check\",\"arguments\":[" + payloadBytes + "]}]"));
            assertThat(JsonParser.parseString(last(silent))).isEqualTo(JsonParser.parseString(
                    "{\"name\":\"seen\",\"arguments\":[" + payloadBytes + "]}"));
            assertThat(caller.text(AbiFunction.TRIGGER_HOOK, "{\"hook\":\"nobody.listens\",\"payload\":null}")).isEqualTo("[]");
        }
    }

    @Test
    void triggeringAHookNeedsTheTriggerHookCapability() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            LoadedCapsule victim = load(host, "victim", "hook-recorder", new CapsuleManifest.Interceptor("tool.*", "on_tool"));
            AbiDriver nobody = new AbiDriver(load(host, CapsuleManifest.bare("nobody"), "abi-driver"));
            assertThat(catchThrowableOfType(GuestCallException.class, () -> nobody.text(AbiFunction.TRIGGER_HOOK,
                    "{\"hook\":\"tool.before\",\"payload\":{\"forged\":true}}")))
                    .hasMessage("astrid_trigger_hook: trigger_hook failed: capsule nobody may not trigger hook "
                            + "'tool.before': the capsule declares no trigger_hook capability");
            AbiDriver other = new AbiDriver(load(host, CapsuleManifest.bare("other")
                    .withCapabilities(Capabilities.builder().triggerHook("chat.*", "tool.*.x").build()), "abi-driver"));
            assertThat(catchThrowableOfType(GuestCallException.class, () -> other.text(AbiFunction.TRIGGER_HOOK,
                    "{\"hook\":\"tool.before\",\"payload\":{\"forged\":true}}")))
                    .hasMessageEndingWith("no trigger_hook pattern matches (trigger_hook = [chat.*, tool.*.x])");
            assertThat(last(victim)).as("no forged payload reached the victim").isEmpty();
        }
    }

    @Test
    void anInterceptorOutsideItsSubscribeCapabilityIsNeverCalled() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver caller = caller(host, "*.*");
            // Loaded as a bare module, the capsule gets no IPC binding that would refuse its interceptor.
            LoadedCapsule spy = host.load(CapsuleManifest.bare("spy")
                    .withInterceptors(List.of(new CapsuleManifest.Interceptor("*.*", "on_all"))),
                    Guests.bytes("hook-recorder"), Optional.empty());
            assertThat(caller.text(AbiFunction.TRIGGER_HOOK, "{\"hook\":\"secret.event\",\"payload\":1}")).isEqualTo("[]");
            assertThat(last(spy)).isEmpty();
        }
    }

    @Test
    void badEventsTrapWithOneClearReason() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver caller = caller(host, "*.*");
            LoadedCapsule recorder = load(host, "recorder", "hook-recorder", new CapsuleManifest.Interceptor("a.b", "on"));
            String[][] cases = {
                {"{\"hook\":", "the event is not valid JSON: unexpected end of input"},
                {"{\"hook\":\"a.b\",\"payload\":" + "[".repeat(300) + "]".repeat(300) + "}",
                    "the event is not valid JSON: nested deeper than 128 levels"},
                {"{\"hook\":\"a.b\",\"payload\":\"\\ud800\"}",
                    "the event is not valid JSON: a string holds an unpaired surrogate \\ud800 (half of a surrogate pair)"},
                {"{hook:'a.b',payload:1}", "the event is not valid JSON: malformed JSON at line 1 column 3"},
                {"{\"hook\":\"a.b\",\"payload\":1} x", "the event is not valid JSON: malformed JSON at line 1 column 29"},
                {"{\"hook\":1}", "the event must be {\"hook\":\"<topic>\",\"payload\":<JSON>}"},
                {"{\"hook\":\"a..b\",\"payload\":1}", "hook 'a..b' is not a valid dot-separated topic"},
            };
            for (String[] c : cases) {
                assertThat(catchThrowableOfType(GuestCallException.class, () -> caller.text(AbiFunction.TRIGGER_HOOK, c[0])))
                        .as("event %s", c[0]).hasMessage("astrid_trigger_hook: trigger_hook failed: " + c[1]);
            }
            byte[] notUtf8 = "{\"hook\":\"a.b\",\"payload\":\"\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
            assertThat(catchThrowableOfType(GuestCallException.class, () -> caller.call(AbiFunction.TRIGGER_HOOK, notUtf8)))
                    .hasMessage("astrid_trigger_hook: trigger_hook failed: the event is not valid JSON: not valid UTF-8");
            assertThat(last(recorder)).as("no refused event reached an interceptor").isEmpty();
        }
    }
}
