package dev.astrid.host.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.sys.abi.AbiFunction;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.GuestExports;
import dev.astrid.sys.abi.HookFunctions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every provider of {@code astrid_trigger_hook} must do (docs/abi.md, "Hooks"): for a request
 * {@code {"hook":"<topic>","payload":<JSON>}} in strict JSON and valid UTF-8, at most 128 levels
 * deep, from a capsule whose {@code trigger_hook} patterns cover the hook, call
 * {@code astrid_hook_trigger} on every other loaded capsule that has that export and no {@code run}
 * export, once per {@code [[interceptor]]} whose event matches the hook and is covered by that
 * capsule's own {@code ipc_subscribe}, with {@code {"name":"<action>","arguments":[<bytes of the
 * payload's compact JSON>]}} and the caller's session as {@code source_id}; and answer a JSON array
 * of the replies that are non-empty strict JSON, in load order. Every refusal traps with
 * {@code trigger_hook failed: <reason>}. Each call runs under setting {@code hooks.timeout-ms} (10 000 by
 * default); once the caller's own call is cancelled (its thread interrupted) no further call is made.
 *
 * <p>Extend it and implement {@link #createProvider()}. The other capsules are
 * {@link TestCapsule}s whose exports are Java functions.
 */
public abstract class HookProviderContract extends ProviderContract<HookFunctions> {
    private static final String FAILED = "trigger_hook failed: ";
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    @Override
    protected final Family family() {
        return Family.HOOKS;
    }

    @AfterEach
    void closeHookProvider() {
        provider.close();
    }

    /** One call a target received: the action named and the argument bytes. */
    private record Received(String action, byte[] argument, Invocation.Caller caller) {}

    /** A capsule with interceptors that answers every hook call with {@code reply}. */
    private final class Target {
        final TestCapsule capsule;
        final List<Received> received = new CopyOnWriteArrayList<>();

        Target(String id, String[] subscribe, List<CapsuleManifest.Interceptor> interceptors, List<String> exports,
                Function<String, byte[]> reply) {
            AtomicReference<TestCapsule> self = new AtomicReference<>();
            CapsuleManifest m = CapsuleManifest.bare(id)
                    .withCapabilities(Capabilities.builder().ipcSubscribe(subscribe).build())
                    .withInterceptors(interceptors);
            capsule = host.capsule(id).manifest(m).exports(exports, (export, input) -> {
                Map<?, ?> call = (Map<?, ?>) JsonTree.parse(s(input));
                List<?> numbers = (List<?>) call.get("arguments");
                byte[] arg = new byte[numbers.size()];
                for (int i = 0; i < arg.length; i++) {
                    arg[i] = (byte) ((Long) numbers.get(i)).intValue();
                }
                String action = (String) call.get("name");
                received.add(new Received(action, arg, self.get().currentInvocation().caller()));
                return reply.apply(action);
            }).build();
            self.set(capsule);
        }

        List<String> actions() {
            List<String> out = new ArrayList<>();
            received.forEach(r -> out.add(r.action()));
            return out;
        }
    }

    private Target target(String id, String reply, CapsuleManifest.Interceptor... interceptors) {
        return new Target(id, new String[] {"tool.*", "tool.*.*", "other.x"}, List.of(interceptors),
                List.of(GuestExports.HOOK_TRIGGER), action -> b(reply));
    }

    private static CapsuleManifest.Interceptor on(String event, String action) {
        return new CapsuleManifest.Interceptor(event, action);
    }

    private HookFunctions caller(String... triggerHook) {
        return bind(host.capsule("caller").clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .capabilities(Capabilities.builder().triggerHook(triggerHook).build()).build());
    }

    private static String event(String hook, String payloadJson) {
        return "{\"hook\":\"" + hook + "\",\"payload\":" + payloadJson + "}";
    }

    private static Object answer(byte[] bytes) {
        Object parsed = JsonTree.parse(s(bytes));
        assertThat(parsed).as("trigger_hook must answer a JSON array, got %s", s(bytes)).isInstanceOf(List.class);
        return parsed;
    }

    /** The provider is found as a host finds it. */
    @Test
    void isRegisteredForServiceLoader() {
        assertRegisteredAsService();
    }

    /** Whom {@code astrid_trigger_hook} calls, with what, and what it answers. */
    @Nested
    class Delivery {
        @Test
        void eachMatchingInterceptorGetsTheActionAndThePayloadsBytes() {
            Target t = target("t1", "{\"ok\":1}", on("tool.before", "on_before"), on("tool.*", "on_any"),
                    on("other.x", "never"), on("tool.before.x", "never_longer"));
            HookFunctions hooks = caller("tool.*");
            Object got = answer(hooks.triggerHook(b(event("tool.before", "{ \"a\" : 1, \"b\" : \"\u00e9\\u00e9\" }"))));
            assertThat(t.actions()).containsExactly("on_before", "on_any");
            for (Received r : t.received) {
                assertThat(JsonTree.parse(s(r.argument()))).isEqualTo(JsonTree.parse("{\"a\":1,\"b\":\"\u00e9\u00e9\"}"));
                assertThat(s(r.argument())).as("compact JSON").doesNotContain(" ");
            }
            assertThat(got).isEqualTo(JsonTree.parse("[{\"ok\":1},{\"ok\":1}]"));
        }

        @Test
        void theTargetSeesTheCallersSessionAsItsSource() {
            Target t = target("t1", "1", on("tool.x", "a"));
            HookFunctions hooks = caller("tool.x");
            hooks.triggerHook(b(event("tool.x", "null")));
            TestCapsule callerCapsule = (TestCapsule) host.byId("caller").orElseThrow();
            assertThat(t.received).hasSize(1);
            assertThat(t.received.get(0).caller().sourceId()).isEqualTo(callerCapsule.sessionId());
            assertThat(t.received.get(0).caller().timestamp()).isEqualTo(NOW);
        }

        @Test
        void repliesComeInLoadOrder() {
            target("first", "{\"from\":\"first\"}", on("tool.x", "a"));
            target("second", "[2]", on("tool.*", "b"));
            target("third", "\"three\"", on("tool.x", "c"));
            assertThat(answer(caller("tool.x").triggerHook(b(event("tool.x", "{}")))))
                    .isEqualTo(JsonTree.parse("[{\"from\":\"first\"},[2],\"three\"]"));
        }

        @Test
        void withNobodyListeningTheAnswerIsAnEmptyArray() {
            assertThat(s(caller("tool.*").triggerHook(b(event("tool.x", "1"))))).isEqualTo("[]");
        }

        @Test
        void everyPayloadShapeArrivesAsItsJson() {
            Target t = target("t1", "1", on("tool.x", "a"));
            HookFunctions hooks = caller("tool.x");
            String[] payloads = {"null", "true", "-1.5e3", "\"text \\ud83d\\ude00\"", "[]", "{\"k\":[1,{\"n\":null}]}"};
            for (String p : payloads) {
                hooks.triggerHook(b(event("tool.x", p)));
            }
            assertThat(t.received).hasSize(payloads.length);
            for (int i = 0; i < payloads.length; i++) {
                assertThat(JsonTree.parse(s(t.received.get(i).argument()))).as("payload %s", payloads[i])
                        .isEqualTo(JsonTree.parse(payloads[i]));
            }
        }

        @Test
        void runLoopsCapsulesWithoutTheExportUncoveredAndUnloadedInterceptorsAreNotCalled() {
            Target other = new Target("other", new String[] {"tool.*"}, List.of(on("tool.x", "a")),
                    List.of(GuestExports.HOOK_TRIGGER), a -> b("1"));
            HookFunctions hooks = caller("tool.x");
            Target runLoop = new Target("run-loop", new String[] {"tool.*"}, List.of(on("tool.x", "a")),
                    List.of(GuestExports.HOOK_TRIGGER, GuestExports.RUN), a -> b("1"));
            Target noExport = new Target("no-export", new String[] {"tool.*"}, List.of(on("tool.x", "a")),
                    List.of("other_export"), a -> b("1"));
            Target uncovered = new Target("uncovered", new String[] {"other.*"}, List.of(on("tool.x", "a")),
                    List.of(GuestExports.HOOK_TRIGGER), a -> b("1"));
            Target unloaded = target("unloaded", "1", on("tool.x", "a"));
            unloaded.capsule.unload();
            Target listening = target("listening", "\"heard\"", on("tool.x", "a"));

            assertThat(answer(hooks.triggerHook(b(event("tool.x", "{}"))))).isEqualTo(JsonTree.parse("[1,\"heard\"]"));
            assertThat(other.received).as("a capsule with the hook export and no run").hasSize(1);
            assertThat(runLoop.received).as("a run-loop capsule").isEmpty();
            assertThat(noExport.received).as("a capsule without astrid_hook_trigger").isEmpty();
            assertThat(uncovered.received).as("an interceptor its ipc_subscribe does not cover").isEmpty();
            assertThat(unloaded.received).as("an unloaded capsule").isEmpty();
            assertThat(listening.received).hasSize(1);
        }

        @Test
        void theCallerIsNotCalledByItsOwnHook() {
            Target other = new Target("other", new String[] {"tool.*"}, List.of(on("tool.x", "theirs")),
                    List.of(GuestExports.HOOK_TRIGGER), a -> b("1"));
            // One capsule that both triggers the hook and intercepts it.
            TestCapsule both = host.capsule("both")
                    .manifest(CapsuleManifest.bare("both")
                            .withCapabilities(Capabilities.builder().ipcSubscribe("tool.*").triggerHook("tool.x").build())
                            .withInterceptors(List.of(on("tool.x", "mine"))))
                    .exports(List.of(GuestExports.HOOK_TRIGGER), (e, in) -> b("\"self\"")).build();
            assertThat(answer(bind(both).triggerHook(b(event("tool.x", "1"))))).isEqualTo(JsonTree.parse("[1]"));
            assertThat(both.calls()).isEmpty();
            assertThat(other.received).hasSize(1);
        }

        @Test
        void unusableRepliesAreLeftOut() {
            new Target("empty", new String[] {"tool.*"}, List.of(on("tool.x", "a")), List.of(GuestExports.HOOK_TRIGGER),
                    a -> new byte[0]);
            target("not-json", "not json", on("tool.x", "a"));
            target("lenient", "{a:1}", on("tool.x", "a"));
            target("trailing", "1 2", on("tool.x", "a"));
            new Target("not-utf8", new String[] {"tool.*"}, List.of(on("tool.x", "a")), List.of(GuestExports.HOOK_TRIGGER),
                    a -> new byte[] {'"', (byte) 0xff, '"'});
            new Target("fails", new String[] {"tool.*"}, List.of(on("tool.x", "a")), List.of(GuestExports.HOOK_TRIGGER),
                    a -> {
                        throw new GuestCallException(GuestCallException.Kind.GUEST_ERROR, "guest said no");
                    });
            target("good", "{\"kept\":true}", on("tool.x", "a"));
            assertThat(answer(caller("tool.x").triggerHook(b(event("tool.x", "0")))))
                    .isEqualTo(JsonTree.parse("[{\"kept\":true}]"));
        }

        @Test
        void aRequestOfExactlyTheHostsBoundIsDelivered() {
            Target t = target("t1", "1", on("tool.x", "a"));
            int limit = PayloadLimits.maxArgument(AbiFunction.TRIGGER_HOOK, 0);
            String shell = event("tool.x", "\"\"");
            String request = event("tool.x", "\"" + "p".repeat(limit - shell.length()) + "\"");
            assertThat(b(request)).hasSize(limit);
            assertThat(answer(caller("tool.x").triggerHook(b(request)))).isEqualTo(List.of(1L));
            assertThat(t.received.get(0).argument()).hasSize(limit - shell.length() + 2);
        }

        @Test
        void aPayloadNestedExactly128LevelsDeepIsDelivered() {
            Target t = target("t1", "1", on("tool.x", "a"));
            // The request object is the first level.
            String payload = "[".repeat(127) + "]".repeat(127);
            caller("tool.x").triggerHook(b(event("tool.x", payload)));
            assertThat(s(t.received.get(0).argument())).isEqualTo(payload);
        }
    }

    /** Setting {@code hooks.timeout-ms} and a cancelled caller. */
    @Nested
    class Timeouts {
        @Test
        void eachCallGetsTenSecondsByDefault() {
            Target t = target("t1", "1", on("tool.x", "a"), on("tool.*", "b"));
            caller("tool.x").triggerHook(b(event("tool.x", "1")));
            assertThat(t.capsule.callTimeouts()).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(10));
        }

        @Test
        void theSettingSetsEachCallsTimeout() {
            Target t = target("t1", "1", on("tool.x", "a"));
            HookFunctions hooks = bind(host.capsule("caller")
                    .capabilities(Capabilities.builder().triggerHook("tool.x").build())
                    .settings(ProviderSettings.of(Map.of("hooks.timeout-ms", "250"))).build());
            hooks.triggerHook(b(event("tool.x", "1")));
            assertThat(t.capsule.callTimeouts()).containsExactly(Duration.ofMillis(250));
        }

        @Test
        void whenTheCallersCallIsCancelledNoFurtherInterceptorIsCalled() {
            // The host cancels an over-long call by interrupting its thread; here the first interceptor does it.
            new Target("first", new String[] {"tool.*"}, List.of(on("tool.x", "a")), List.of(GuestExports.HOOK_TRIGGER),
                    a -> {
                        Thread.currentThread().interrupt();
                        return b("1");
                    });
            Target second = target("second", "2", on("tool.x", "b"));
            HookFunctions hooks = caller("tool.x");
            try {
                assertHostError(() -> hooks.triggerHook(b(event("tool.x", "1"))))
                        .hasMessageStartingWith(FAILED + "call interrupted while running hook 'tool.x'");
            } finally {
                Thread.interrupted();
            }
            assertThat(second.received).isEmpty();
        }
    }

    /** The {@code trigger_hook} capability. */
    @Nested
    class Permission {
        @Test
        void withoutTheCapabilityTheCallTrapsAndNobodyIsCalled() {
            Target t = target("t1", "1", on("tool.x", "a"));
            assertHostError(() -> caller().triggerHook(b(event("tool.x", "1"))))
                    .hasMessageStartingWith(FAILED)
                    .hasMessageContaining("may not trigger hook 'tool.x'")
                    .hasMessageContaining("the capsule declares no trigger_hook capability");
            assertThat(t.received).isEmpty();
        }

        @Test
        void aHookNoPatternCoversTraps() {
            Target t = target("t1", "1", on("tool.*.*", "a"), on("other.x", "b"));
            HookFunctions hooks = caller("tool.*");
            for (String hook : new String[] {"tool.a.b", "other.x", "tool"}) {
                assertHostError(() -> hooks.triggerHook(b(event(hook, "1")))).as("hook %s", hook)
                        .hasMessageStartingWith(FAILED)
                        .hasMessageContaining("may not trigger hook '" + hook + "'")
                        .hasMessageContaining("no trigger_hook pattern matches");
            }
            assertThat(t.received).isEmpty();
            hooks.triggerHook(b(event("tool.a", "1")));
        }

        @Test
        void anExactPatternAllowsOnlyThatHook() {
            target("t1", "1", on("tool.*", "a"));
            HookFunctions hooks = caller("tool.before");
            assertThat(answer(hooks.triggerHook(b(event("tool.before", "1"))))).isEqualTo(List.of(1L));
            assertHostError(() -> hooks.triggerHook(b(event("tool.after", "1")))).hasMessageContaining("no trigger_hook pattern matches");
        }
    }

    /** Requests {@code astrid_trigger_hook} refuses, each with one reason. */
    @Nested
    class Refusals {
        @Test
        void aRequestThatIsNotStrictJsonTraps() {
            HookFunctions hooks = caller("tool.*");
            for (String bad : new String[] {"", "not json", "{\"hook\":\"tool.x\",\"payload\":", "{hook:\"tool.x\",payload:1}",
                    "{'hook':'tool.x','payload':1}", event("tool.x", "1") + " trailing", event("tool.x", "[1,]")}) {
                assertHostError(() -> hooks.triggerHook(b(bad))).as("request %s", bad)
                        .hasMessageStartingWith(FAILED + "the event is not valid JSON")
                        .hasMessageNotContaining("Exception").hasMessageNotContaining("path $");
            }
        }

        @Test
        void bytesThatAreNotUtf8Trap() {
            byte[] bad = b(event("tool.x", "\"x\""));
            bad[bad.length - 3] = (byte) 0xc3;
            assertHostError(() -> caller("tool.*").triggerHook(bad)).hasMessageStartingWith(FAILED + "the event is not valid JSON");
        }

        @Test
        void halfASurrogatePairTraps() {
            HookFunctions hooks = caller("tool.*");
            for (String bad : new String[] {"\"\\ud800\"", "{\"\\udc00\":1}", "[\"a\\ud83d\"]"}) {
                assertHostError(() -> hooks.triggerHook(b(event("tool.x", bad)))).as("payload %s", bad)
                        .hasMessageStartingWith(FAILED + "the event is not valid JSON").hasMessageContaining("surrogate");
            }
        }

        @Test
        void aPayloadNested129LevelsDeepTraps() {
            String payload = "[".repeat(128) + "]".repeat(128);
            assertHostError(() -> caller("tool.*").triggerHook(b(event("tool.x", payload))))
                    .hasMessageStartingWith(FAILED + "the event is not valid JSON").hasMessageContaining("nested deeper than 128");
        }

        @Test
        void anotherShapeTrapsNamingTheExpectedOne() {
            HookFunctions hooks = caller("tool.*");
            for (String bad : new String[] {"[]", "1", "null", "{}", "{\"hook\":\"tool.x\"}", "{\"payload\":1}",
                    "{\"hook\":1,\"payload\":1}", "{\"hook\":null,\"payload\":1}", "{\"hook\":[\"tool.x\"],\"payload\":1}"}) {
                assertHostError(() -> hooks.triggerHook(b(bad))).as("request %s", bad)
                        .hasMessageStartingWith(FAILED + "the event must be {\"hook\":");
            }
        }

        @Test
        void aHookThatIsNotATopicTraps() {
            HookFunctions hooks = caller("*.*");
            for (String bad : new String[] {"a..b", ".a", "a."}) {
                assertHostError(() -> hooks.triggerHook(b(event(bad, "1")))).as("hook %s", bad)
                        .hasMessageStartingWith(FAILED + "hook '" + bad + "' is not a valid dot-separated topic");
            }
        }
    }
}
