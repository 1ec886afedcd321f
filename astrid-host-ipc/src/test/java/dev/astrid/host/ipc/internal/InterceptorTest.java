package dev.astrid.host.ipc.internal;

import static dev.astrid.host.ipc.internal.Fixture.assertHostError;
import static dev.astrid.host.ipc.internal.Fixture.b;
import static dev.astrid.host.ipc.internal.Fixture.json;
import static dev.astrid.host.ipc.internal.Fixture.parse;
import static dev.astrid.host.ipc.internal.Fixture.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.host.spi.manifest.CapsuleManifest.Interceptor;
import dev.astrid.host.tck.TestCapsule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterceptorTest {
    @TempDir
    Path tmp;
    Fixture f;
    CapsuleIpc sender;
    TestCapsule senderCapsule;

    /** One call into a hooked capsule, as it saw it. */
    record Call(String export, String input, Invocation.Caller caller, Thread thread) {}

    @BeforeEach
    void setUp() {
        f = new Fixture(tmp);
        senderCapsule = f.capsule("sender", List.of("*", "*.*", "*.*.*", "*.*.*.*"), List.of());
        sender = f.bind(senderCapsule);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    /** A manifest whose ipc_subscribe capability covers exactly its interceptors' events. */
    private static CapsuleManifest allowed(String name, List<Interceptor> interceptors) {
        return CapsuleManifest.bare(name).withInterceptors(interceptors).withCapabilities(Capabilities.builder()
                .ipcSubscribe(interceptors.stream().map(Interceptor::event).toArray(String[]::new)).build());
    }

    private TestCapsule runLoop(List<Interceptor> interceptors) {
        return f.host.capsule("looper").manifest(allowed("looper", interceptors))
                .exports(List.of("run"), (e, in) -> new byte[0]).build();
    }

    private TestCapsule hooked(List<Interceptor> interceptors, ProviderSettings settings,
            BiFunction<String, byte[], byte[]> export) {
        return f.host.capsule("hooked").manifest(allowed("hooked", interceptors)).settings(settings)
                .exports(List.of("astrid_hook_trigger"), export).build();
    }

    /** A hooked capsule that records every call in a queue. */
    private TestCapsule recording(List<Interceptor> interceptors, BlockingQueue<Call> calls) {
        TestCapsule[] self = new TestCapsule[1];
        self[0] = hooked(interceptors, ProviderSettings.empty(), (e, in) -> {
            calls.add(new Call(e, s(in), self[0].currentInvocation().caller(), Thread.currentThread()));
            return new byte[0];
        });
        return self[0];
    }

    private static Call next(BlockingQueue<Call> calls) throws InterruptedException {
        Call c = calls.poll(Fixture.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(c).as("a hook call within %s", Fixture.PATIENCE).isNotNull();
        return c;
    }

    // ---- run-loop capsules -------------------------------------------------------------------

    @Test
    void aRunLoopCapsuleGetsHandlesOneToNInManifestOrder() {
        CapsuleIpc ipc = f.bind(runLoop(List.of(new Interceptor("tool.*.request", "on_tool"),
                new Interceptor("user.input", "on_input"), new Interceptor("events.*", "on_event"))));
        assertThat(parse(s(ipc.getInterceptorHandles()))).isEqualTo(parse("["
                + "{\"handle_id\":1,\"action\":\"on_tool\",\"topic\":\"tool.*.request\"},"
                + "{\"handle_id\":2,\"action\":\"on_input\",\"topic\":\"user.input\"},"
                + "{\"handle_id\":3,\"action\":\"on_event\",\"topic\":\"events.*\"}]"));

        sender.ipcPublish(b("tool.fs.request"), b("{\"type\":\"connect\"}"));
        sender.ipcPublish(b("tool.fs.x.request"), b("1"));
        sender.ipcPublish(b("events.a.b"), b("2"));

        var tool = json(ipc.ipcPoll(b("1"))).getAsJsonArray("messages");
        assertThat(tool).hasSize(1);
        // Run loops receive full envelopes, not unwrapped payloads.
        assertThat(tool.get(0).getAsJsonObject().get("payload")).isEqualTo(parse("{\"type\":\"connect\"}"));
        assertThat(tool.get(0).getAsJsonObject().get("source_id").getAsString())
                .isEqualTo(senderCapsule.sessionId().toString());
        assertThat(json(ipc.ipcPoll(b("3"))).getAsJsonArray("messages")).hasSize(1);
        assertThat(json(ipc.ipcPoll(b("2"))).getAsJsonArray("messages")).isEmpty();
    }

    @Test
    void interceptorEventsMustPassTheSubscribeAcl() {
        CapsuleManifest none = CapsuleManifest.bare("spy").withInterceptors(List.of(new Interceptor("*.*", "all")));
        int before = f.bus.recipientCount();
        for (List<String> exports : List.of(List.of("run"), List.of("astrid_hook_trigger"))) {
            assertHostError(() -> f.bind(f.host.capsule("spy").manifest(none).exports(exports, (e, in) -> new byte[0])
                    .build())).as("%s", exports)
                    .hasMessage("capsule spy: interceptor 'all' on event '*.*' needs an ipc_subscribe capability that"
                            + " covers '*.*': the capsule declares no ipc_subscribe capability");
            // A narrower capability does not cover a wider event either.
            CapsuleManifest narrow = none.withCapabilities(Capabilities.builder().ipcSubscribe("chat.*").build());
            assertHostError(() -> f.bind(f.host.capsule("spy").manifest(narrow).exports(exports, (e, in) -> new byte[0])
                    .build())).hasMessageContaining("no ipc_subscribe pattern matches (ipc_subscribe = [chat.*])");
        }
        assertThat(f.bus.recipientCount()).as("nothing left on the bus").isEqualTo(before);
        // A capability that covers the event, as it would cover the same subscription, is enough.
        f.bind(f.host.capsule("spy").manifest(none.withCapabilities(Capabilities.builder().ipcSubscribe("*.*").build()))
                .exports(List.of("astrid_hook_trigger"), (e, in) -> new byte[0]).build());
    }

    @Test
    void moreThan64InterceptorsFailTheBind() {
        List<Interceptor> many = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            many.add(new Interceptor("t.n" + i, "a" + i));
        }
        assertHostError(() -> f.bind(runLoop(many))).hasMessageContaining("at most 64");
        assertThat(f.bus.recipientCount()).as("nothing left on the bus").isEqualTo(0);
        f.bind(runLoop(many.subList(0, 64)));
        assertThat(f.bus.recipientCount()).isEqualTo(64);
    }

    @Test
    void anInvalidInterceptorEventFailsTheBind() {
        assertHostError(() -> f.bind(runLoop(List.of(new Interceptor("a..b", "x")))))
                .hasMessageContaining("interceptor event 'a..b'");
    }

    // ---- capsules without run: hook delivery ------------------------------------------------

    @Test
    void matchingMessagesCallTheHookExportWithTheDocumentedInput() throws Exception {
        BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
        CapsuleIpc ipc = f.bind(recording(List.of(new Interceptor("chat.*", "on_chat")), calls));
        assertThat(s(ipc.getInterceptorHandles())).isEqualTo("[]");

        sender.ipcPublish(b("chat.room"), b("{\"k\":\"v\"}"));

        Call call = next(calls);
        assertThat(call.export()).isEqualTo("astrid_hook_trigger");
        // {"k":"v"} as byte values
        assertThat(call.input()).isEqualTo("{\"name\":\"on_chat\",\"arguments\":[123,34,107,34,58,34,118,34,125]}");
        assertThat(call.caller().sourceId()).isEqualTo(senderCapsule.sessionId());
        assertThat(call.caller().timestamp()).isNotNull();
        assertThat(call.thread()).isNotSameAs(Thread.currentThread());
    }

    @Test
    void theHookArgumentDependsOnThePayloadKind() throws Exception {
        BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
        f.bind(recording(List.of(new Interceptor("k.*", "act")), calls));
        sender.ipcPublish(b("k.custom"), b("{\"type\":\"custom\",\"data\":\"é\"}"));
        sender.ipcPublish(b("k.raw"), b("{\"type\":\"raw_json\",\"s\":1}"));
        sender.ipcPublish(b("k.tagged"), b("{\"type\":\"connect\"}"));
        assertThat(argumentOf(next(calls))).isEqualTo("\"é\"");
        assertThat(argumentOf(next(calls))).isEqualTo("{\"s\":1}");
        assertThat(argumentOf(next(calls))).isEqualTo("{\"type\":\"connect\"}");
    }

    private static String argumentOf(Call call) {
        var args = json(b(call.input())).getAsJsonArray("arguments");
        byte[] bytes = new byte[args.size()];
        for (int i = 0; i < bytes.length; i++) {
            int v = args.get(i).getAsInt();
            assertThat(v).isBetween(0, 255);
            bytes[i] = (byte) v;
        }
        return s(bytes);
    }

    @Test
    void dispatchUsesTheAclMatcherAndEveryMatchingInterceptorInManifestOrder() throws Exception {
        BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
        f.bind(recording(List.of(new Interceptor("a.*", "first"), new Interceptor("*.b", "second"),
                new Interceptor("x.y", "third")), calls));
        sender.ipcPublish(b("a.b.c"), b("0")); // deeper than a.*: not an ACL match
        sender.ipcPublish(b("a.b"), b("1"));
        sender.ipcPublish(b("x.y"), b("2"));
        assertThat(List.of(name(next(calls)), name(next(calls)), name(next(calls))))
                .containsExactly("first", "second", "third");
        assertThat(calls).isEmpty();
    }

    private static String name(Call c) {
        return json(b(c.input())).get("name").getAsString();
    }

    @Test
    void callsAreSerialInPublishOrder() throws Exception {
        BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
        f.bind(recording(List.of(new Interceptor("seq.x", "act")), calls));
        for (int i = 0; i < 100; i++) {
            sender.ipcPublish(b("seq.x"), b(Integer.toString(i)));
        }
        Thread worker = null;
        for (int i = 0; i < 100; i++) {
            Call c = next(calls);
            assertThat(argumentOf(c)).isEqualTo(Integer.toString(i));
            worker = worker == null ? c.thread() : worker;
            assertThat(c.thread()).isSameAs(worker);
        }
    }

    @Test
    void aFailingHookIsNeverThePublishersProblem() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        f.bind(hooked(List.of(new Interceptor("fail.x", "act")), ProviderSettings.empty(), (e, in) -> {
            String arg = s(in);
            seen.add(arg);
            if (seen.size() == 1) {
                throw new GuestCallException(GuestCallException.Kind.TRAP, "boom");
            }
            return new byte[0];
        }));
        sender.ipcPublish(b("fail.x"), b("1"));
        sender.ipcPublish(b("fail.x"), b("2"));
        assertThat(seen.poll(Fixture.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isNotNull();
        assertThat(seen.poll(Fixture.PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the worker survived").isNotNull();
    }

    @Test
    void aFullBacklogDropsDeliveriesInsteadOfBlockingThePublisher() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        f.bind(hooked(List.of(new Interceptor("slow.x", "act")),
                ProviderSettings.of(Map.of("ipc.hook-backlog", "2")), (e, in) -> {
                    seen.add(s(in));
                    entered.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                    return new byte[0];
                }));
        sender.ipcPublish(b("slow.x"), b("0"));
        assertThat(entered.await(Fixture.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 5; i++) {
            sender.ipcPublish(b("slow.x"), b(Integer.toString(i)));
        }
        release.countDown();
        List<String> delivered = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            delivered.add(seen.poll(Fixture.PATIENCE.toSeconds(), TimeUnit.SECONDS));
        }
        // One in flight plus a backlog of two; 3, 4 and 5 were dropped.
        assertThat(delivered).extracting(in -> argumentOf(new Call("", in, null, null))).containsExactly("0", "1", "2");
    }

    @Test
    void closeTakesTheDispatcherOffTheBus() {
        int before = f.bus.recipientCount();
        CapsuleIpc ipc = f.bind(recording(List.of(new Interceptor("c.x", "act")), new LinkedBlockingQueue<>()));
        assertThat(f.bus.recipientCount()).isEqualTo(before + 1);
        ipc.close();
        assertThat(f.bus.recipientCount()).isEqualTo(before);
    }

    @Test
    void theHookBacklogDrawsOnTheCapsulesByteBudget() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BlockingQueue<Integer> seen = new LinkedBlockingQueue<>();
        // The smallest budget allowed, 5 MiB: room for four payloads of a little over 1 MiB.
        ProviderSettings settings = ProviderSettings.of(Map.of("ipc.capsule-max-bytes", Integer.toString(Bus.MAX_PAYLOAD)));
        CapsuleIpc ipc = f.bind(hooked(List.of(new Interceptor("big.x", "act"), new Interceptor("big.*", "again")),
                settings, (e, in) -> {
                    seen.add(in.length);
                    entered.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                    return new byte[0];
                }));
        String payload = "\"" + "x".repeat(1024 * 1024 + 100) + "\"";
        sender.ipcPublish(b("big.x"), b(payload));
        assertThat(entered.await(Fixture.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i < 8; i++) {
            sender.ipcPublish(b("big.x"), b(payload));
        }
        // One message in its calls plus three waiting use the budget; the other four are dropped,
        // although the message backlog (256) has room. Two interceptors share one message's bytes.
        assertThat(ipc.hooks().droppedCount()).isEqualTo(4);
        assertThat(ipc.budget().used()).isBetween(4L * payload.length(), (long) Bus.MAX_PAYLOAD);
        release.countDown();
        for (int i = 0; i < 8; i++) {
            assertThat(seen.poll(Fixture.PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("call %d", i).isNotNull();
        }
        Fixture.awaitCondition("the budget is given back", () -> ipc.budget().used() == 0);
        assertThat(seen).isEmpty();
    }

    @Test
    void aHookThatThrowsAnErrorLeavesTheWorkerAlive() throws Exception {
        BlockingQueue<Thread> threads = new LinkedBlockingQueue<>();
        f.bind(hooked(List.of(new Interceptor("err.x", "act")), ProviderSettings.empty(), (e, in) -> {
            threads.add(Thread.currentThread());
            if (threads.size() == 1) {
                throw new OutOfMemoryError("simulated: the call ran out of memory");
            }
            return new byte[0];
        }));
        sender.ipcPublish(b("err.x"), b("1"));
        Thread first = threads.poll(Fixture.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        sender.ipcPublish(b("err.x"), b("2"));
        assertThat(threads.poll(Fixture.PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the same worker, still alive")
                .isSameAs(first);
        assertThat(first.isAlive()).isTrue();
    }
}
