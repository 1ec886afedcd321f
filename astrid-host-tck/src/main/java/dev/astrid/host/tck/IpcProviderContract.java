package dev.astrid.host.tck;

import static dev.astrid.host.tck.IpcAssert.assertThatIpc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.UplinkMessage;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.IpcFunctions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The observable contract of the IPC family (docs/families/ipc.md) that any provider must keep: one bus per
 * host shared by every capsule, the envelope of poll and recv, capability checks, handle rules,
 * limits, interceptors, uplinks and unload.
 *
 * <p>Extend it and implement {@link #createProvider()}. Each test uses a fresh provider, that is a
 * fresh bus. Bindings made with {@link #bindIpc} are closed after each test, then the provider.
 *
 * <p>JSON outputs are parsed, never compared as text: key order and spacing are free. Tests that
 * involve a second thread wait with generous deadlines that only guard against hangs; none of them
 * measures time.
 */
public abstract class IpcProviderContract extends ProviderContract<IpcFunctions> {

    /** How long a test waits for something that should happen at once (a hang guard only). */
    protected static final Duration PATIENCE = Duration.ofSeconds(30);

    private static final String EMPTY_ENVELOPE = "{\"messages\":[],\"dropped\":0,\"lagged\":0}";
    private static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z";

    private final List<Object> bindings = new CopyOnWriteArrayList<>();

    @Override
    protected final Family family() {
        return Family.IPC;
    }

    @AfterEach
    void closeBindingsAndProvider() throws Exception {
        for (Object b : bindings) {
            if (b instanceof AutoCloseable) {
                ((AutoCloseable) b).close();
            }
        }
        provider.close();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** A capsule with these IPC capabilities. */
    protected TestCapsule capsule(String id, String[] publish, String[] subscribe) {
        return host.capsule(id)
                .capabilities(Capabilities.builder().ipcPublish(publish).ipcSubscribe(subscribe).build())
                .build();
    }

    /** Binds the provider for a capsule and closes the binding after the test. */
    protected IpcFunctions bindIpc(TestCapsule capsule) {
        IpcFunctions ipc = bind(capsule);
        bindings.add(ipc);
        return ipc;
    }

    /** Closes a binding as the host does at unload. */
    protected static void unload(IpcFunctions ipc) throws Exception {
        assertThat(ipc).as("a binding must be AutoCloseable so the host can unload it")
                .isInstanceOf(AutoCloseable.class);
        ((AutoCloseable) ipc).close();
    }

    /** Parses an envelope and checks its shape. */
    @SuppressWarnings("unchecked")
    protected static Map<String, Object> envelope(byte[] bytes) {
        Object parsed = JsonTree.parse(s(bytes));
        assertThat(parsed).as("envelope %s", s(bytes)).isInstanceOf(Map.class);
        Map<String, Object> env = (Map<String, Object>) parsed;
        assertThat(env).containsKeys("messages", "dropped", "lagged");
        assertThat(env.get("messages")).isInstanceOf(List.class);
        return env;
    }

    /** The messages of an envelope. */
    @SuppressWarnings("unchecked")
    protected static List<Map<String, Object>> messages(byte[] envelope) {
        return (List<Map<String, Object>>) envelope(envelope).get("messages");
    }

    private static void assertEmptyEnvelope(byte[] bytes) {
        assertThat(envelope(bytes)).isEqualTo(JsonTree.parse(EMPTY_ENVELOPE));
    }

    /** Runs a task on a new thread; the returned task gives its result. */
    protected static <V> Background<V> inBackground(String name, Callable<V> task) {
        FutureTask<V> future = new FutureTask<>(task);
        Thread thread = new Thread(future, name);
        thread.setDaemon(true);
        thread.start();
        return new Background<>(thread, future);
    }

    /**
     * A task running on its own thread.
     *
     * @param thread the thread
     * @param future its result
     * @param <V> the result type
     */
    protected record Background<V>(Thread thread, FutureTask<V> future) {

        /** Waits until the thread blocks in a timed wait, as a waiting recv does; fails on a hang. */
        public void awaitTimedWaiting() {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (thread.getState() != Thread.State.TIMED_WAITING) {
                if (future.isDone()) {
                    fail("the task ended before it blocked: " + outcome());
                }
                if (System.nanoTime() - deadline > 0) {
                    fail("the thread never blocked in a timed wait; state " + thread.getState());
                }
                Thread.yield();
            }
        }

        /** The task's result, waiting at most {@link #PATIENCE}. */
        public V get() throws Exception {
            try {
                return future.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                thread.interrupt();
                throw new AssertionError("the task did not finish within " + PATIENCE, e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception) {
                    throw (Exception) e.getCause();
                }
                throw e;
            }
        }

        private String outcome() {
            try {
                return String.valueOf(future.get());
            } catch (Exception e) {
                return e.toString();
            }
        }
    }

    // ---- registration ----------------------------------------------------------------------------

    @Test
    void isRegisteredForServiceLoader() {
        assertRegisteredAsService();
    }

    /** {@code astrid_ipc_publish}: delivery to every matching subscription, the envelope, payload mapping and refusals. */
    @Nested
    class Publish {
        @Test
        void twoCapsulesOfOneHostExchangeMessages() {
            TestCapsule a = capsule("alpha", new String[] {"chat.*"}, new String[] {});
            TestCapsule b = capsule("beta", new String[] {}, new String[] {"chat.*"});
            IpcFunctions ipcA = bindIpc(a);
            IpcFunctions ipcB = bindIpc(b);
            String handle = assertThatIpc(ipcB).subscribes("chat.*");

            ipcA.ipcPublish(b("chat.room"), b("{\"text\":\"hi\"}"));

            assertThatIpc(ipcB).polls(handle).hasTopics("chat.room").hasData("{\"text\":\"hi\"}").allFrom(a.sessionId());
            assertThatIpc(ipcB).polls(handle).isEmpty();
        }

        @Test
        void aPublisherReceivesItsOwnMessages() {
            TestCapsule a = capsule("alpha", new String[] {"echo.x"}, new String[] {"echo.x"});
            IpcFunctions ipc = bindIpc(a);
            String handle = assertThatIpc(ipc).subscribes("echo.x");

            ipc.ipcPublish(b("echo.x"), b("1"));

            assertThatIpc(ipc).polls(handle).hasData("1").allFrom(a.sessionId());
        }

        @Test
        void everyMatchingSubscriptionGetsItsOwnCopyInPublishOrder() {
            TestCapsule a = capsule("alpha", new String[] {"n.*"}, new String[] {"n.*", "n.one"});
            IpcFunctions ipc = bindIpc(a);
            String all = assertThatIpc(ipc).subscribes("n.*");
            String one = assertThatIpc(ipc).subscribes("n.one");

            for (int i = 0; i < 5; i++) {
                ipc.ipcPublish(b(i % 2 == 0 ? "n.one" : "n.two"), b(Integer.toString(i)));
            }

            assertThatIpc(ipc).polls(all).hasData("0", "1", "2", "3", "4");
            assertThatIpc(ipc).polls(one).hasTopics("n.one", "n.one", "n.one").hasData("0", "2", "4");
        }

        @Test
        void messagesHaveTheUpstreamEnvelopeFields() {
            TestCapsule a = capsule("alpha", new String[] {"shape.test"}, new String[] {"shape.test"});
            IpcFunctions ipc = bindIpc(a);
            String handle = s(ipc.ipcSubscribe(b("shape.test")));
            ipc.ipcPublish(b("shape.test"), b("{\"type\":\"connect\"}"));

            Map<String, Object> env = envelope(ipc.ipcPoll(b(handle)));
            assertThat(env.get("dropped")).isEqualTo(0L);
            assertThat(env.get("lagged")).isEqualTo(0L);
            @SuppressWarnings("unchecked")
            Map<String, Object> m = ((List<Map<String, Object>>) env.get("messages")).get(0);
            assertThat(m).containsKeys("topic", "payload", "signature", "source_id", "timestamp");
            assertThat(m.get("signature")).isNull();
            assertThat(m.get("topic")).isEqualTo("shape.test");
            assertThat(m.get("payload")).isEqualTo(JsonTree.parse("{\"type\":\"connect\"}"));
            assertThat((String) m.get("timestamp")).matches(TIMESTAMP);
            assertThat((String) m.get("source_id")).isEqualTo(a.sessionId().toString());
        }

        @Test
        void payloadsAreMappedAsUpstreamDoes() {
            TestCapsule a = capsule("alpha", new String[] {"map.test"}, new String[] {"map.test"});
            IpcFunctions ipc = bindIpc(a);
            String handle = s(ipc.ipcSubscribe(b("map.test")));
            String[][] cases = {
                {"{\"type\":\"custom\",\"data\":{\"k\":1}}", "{\"type\":\"custom\",\"data\":{\"k\":1}}"},
                {"{\"type\":\"user_input\",\"text\":\"hi\",\"session_id\":\"s\"}",
                    "{\"type\":\"user_input\",\"text\":\"hi\",\"session_id\":\"s\"}"},
                {"{\"type\":\"no_such_tag\",\"x\":1}", "{\"type\":\"custom\",\"data\":{\"type\":\"no_such_tag\",\"x\":1}}"},
                {"{\"x\":1}", "{\"type\":\"custom\",\"data\":{\"x\":1}}"},
                {"[1,2]", "{\"type\":\"custom\",\"data\":[1,2]}"},
                {"\"text\"", "{\"type\":\"custom\",\"data\":\"text\"}"},
            };
            String[] expected = new String[cases.length];
            for (int i = 0; i < cases.length; i++) {
                ipc.ipcPublish(b("map.test"), b(cases[i][0]));
                expected[i] = cases[i][1];
            }
            assertThatIpc(ipc).polls(handle).hasPayloads(expected);
        }

        @Test
        void aPayloadThatIsNotJsonIsRefused() {
            IpcFunctions ipc = bindIpc(capsule("alpha", new String[] {"t.x"}, new String[] {}));
            for (String bad : new String[] {"", "not json", "{\"a\":1", "{'a':1}", "1 2"}) {
                assertThatIpc(ipc).refusesPublish("t.x", bad).hasMessageContaining("IPC payload is not valid JSON");
            }
        }

        @Test
        void aPayloadWhoseTextIsNotUnicodeIsRefusedNotAltered() {
            IpcFunctions ipc = bindIpc(capsule("alpha", new String[] {"t.x"}, new String[] {"t.x"}));
            String handle = s(ipc.ipcSubscribe(b("t.x")));
            // Half a surrogate pair, as an escape in a value or a name, has no UTF-8 form: refuse it, never send "?".
            for (String bad : new String[] {"\"\\ud800\"", "{\"\\udc00\":1}", "[\"a\\ud83d\"]", "\"\\ude00\\ud83d\""}) {
                assertHostError(() -> ipc.ipcPublish(b("t.x"), b(bad))).as("payload %s", bad)
                        .hasMessageStartingWith("IPC payload is not valid JSON")
                        .hasMessageContaining("surrogate");
            }
            assertHostError(() -> ipc.ipcPublish(b("t.x"), new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}))
                    .as("a surrogate encoded in UTF-8 bytes").hasMessageStartingWith("IPC payload is not valid JSON");
            assertHostError(() -> ipc.ipcPublish(b("t.x"), new byte[] {'"', (byte) 0xFF, '"'}))
                    .as("a byte that is never UTF-8").hasMessageStartingWith("IPC payload is not valid JSON");
            assertEmptyEnvelope(ipc.ipcPoll(b(handle)));
            // A whole pair is one character and arrives as its UTF-8 bytes.
            ipc.ipcPublish(b("t.x"), b("\"\\ud83d\\ude00\""));
            assertThat(messages(ipc.ipcPoll(b(handle))).get(0).get("payload"))
                    .isEqualTo(JsonTree.parse("{\"type\":\"custom\",\"data\":\"\uD83D\uDE00\"}"));
        }

        @Test
        void aPayloadNestedTooDeeplyIsRefusedWithOneClearReason() {
            IpcFunctions ipc = bindIpc(capsule("alpha", new String[] {"t.x"}, new String[] {}));
            String deep = "{\"payload\":" + "[".repeat(300) + "]".repeat(300) + "}";
            assertHostError(() -> ipc.ipcPublish(b("t.x"), b(deep)))
                    .hasMessageStartingWith("IPC payload is not valid JSON: nested deeper than ")
                    .hasMessageNotContaining("Exception").hasMessageNotContaining("path $").hasMessageNotContaining("Nesting limit");
        }

        @Test
        void publishingNeedsAMatchingCapability() {
            IpcFunctions none = bindIpc(capsule("none", new String[] {}, new String[] {}));
            assertHostError(() -> none.ipcPublish(b("a.b"), b("1")));

            IpcFunctions some = bindIpc(capsule("some", new String[] {"a.*"}, new String[] {}));
            some.ipcPublish(b("a.b"), b("1"));
            assertHostError(() -> some.ipcPublish(b("a.b.c"), b("1")));
            assertHostError(() -> some.ipcPublish(b("x.b"), b("1")));
        }

        @Test
        void aPayloadOverFiveMebibytesIsRefused() {
            IpcFunctions ipc = bindIpc(capsule("alpha", new String[] {"test.*"}, new String[] {}));
            byte[] big = new byte[5 * 1024 * 1024 + 1024];
            java.util.Arrays.fill(big, (byte) ' ');
            big[0] = '1';
            assertHostError(() -> ipc.ipcPublish(b("test.big"), big)).hasMessageContaining("Payload too large");
        }

        @Test
        void aTopicOverTheLimitsIsRefused() {
            IpcFunctions ipc = bindIpc(capsule("alpha", new String[] {"*.*.*.*.*.*.*.*.*"}, new String[] {}));
            assertHostError(() -> ipc.ipcPublish(b("a".repeat(257)), b("1")));
            assertHostError(() -> ipc.ipcPublish(b("a.b.c.d.e.f.g.h.i"), b("1")));
            assertHostError(() -> ipc.ipcPublish(b("a..b"), b("1")));
        }
    }

    /** {@code astrid_ipc_subscribe}: the capability, patterns, handles and the subscription limit. */
    @Nested
    class Subscribe {
        @Test
        void subscribingFollowsTheAclMatrix() {
            // Topic matching (docs/families/ipc.md, "Topics and matching"): exact, wildcard, segment-count mismatch, wildcard vs exact ACL, malformed ACL.
            assertThat(trySubscribe(new String[] {"foo.bar"}, "foo.bar")).as("exact").isTrue();
            assertThat(trySubscribe(new String[] {"foo.*"}, "foo.bar")).as("wildcard ACL, exact pattern").isTrue();
            assertThat(trySubscribe(new String[] {"foo.*"}, "foo.*")).as("wildcard ACL, wildcard pattern").isTrue();
            assertThat(trySubscribe(new String[] {"foo.*"}, "foo.bar.baz")).as("segment-count mismatch").isFalse();
            assertThat(trySubscribe(new String[] {"foo.bar"}, "foo.*")).as("wildcard pattern, exact ACL").isFalse();
            assertThat(trySubscribe(new String[] {"foo..bar"}, "foo..bar")).as("malformed").isFalse();
            assertThat(trySubscribe(new String[] {}, "foo.bar")).as("no ACL").isFalse();
        }

        private boolean trySubscribe(String[] acl, String pattern) {
            IpcFunctions ipc = bindIpc(capsule("acl-" + bindings.size(), new String[] {}, acl));
            try {
                ipc.ipcSubscribe(b(pattern));
                return true;
            } catch (HostException e) {
                return false;
            }
        }

        @Test
        void aWildcardBeforeTheLastSegmentIsRefused() {
            IpcFunctions ipc = bindIpc(capsule("alpha", new String[] {}, new String[] {"*.*.*"}));
            assertHostError(() -> ipc.ipcSubscribe(b("a.*.b")));
        }

        @Test
        void aTrailingWildcardReceivesDeeperTopicsButNotItsPrefix() {
            TestCapsule a = capsule("alpha", new String[] {"deep", "deep.*", "deep.*.*", "deep.*.*.*"}, new String[] {"deep.*"});
            IpcFunctions ipc = bindIpc(a);
            String handle = assertThatIpc(ipc).subscribes("deep.*");
            ipc.ipcPublish(b("deep"), b("0"));
            ipc.ipcPublish(b("deep.a"), b("1"));
            ipc.ipcPublish(b("deep.a.b"), b("2"));
            ipc.ipcPublish(b("deep.a.b.c"), b("3"));
            assertThatIpc(ipc).polls(handle).hasTopics("deep.a", "deep.a.b", "deep.a.b.c").hasData("1", "2", "3");
        }

        @Test
        void aPatternNeverReceivesAShorterTopic() {
            IpcFunctions ipc = bindIpc(capsule("alpha", new String[] {"a.b", "a.b.c"}, new String[] {"a.b.c"}));
            String handle = assertThatIpc(ipc).subscribes("a.b.c");
            ipc.ipcPublish(b("a.b"), b("1"));
            ipc.ipcPublish(b("a.b.c"), b("2"));
            assertThatIpc(ipc).polls(handle).hasTopics("a.b.c");
        }

        @Test
        void handlesAreDecimalStartAtOneAndAreNeverReused() {
            IpcFunctions ipc = bindIpc(capsule("alpha", new String[] {}, new String[] {"h.*"}));
            assertThat(s(ipc.ipcSubscribe(b("h.*")))).isEqualTo("1");
            assertThat(s(ipc.ipcSubscribe(b("h.*")))).isEqualTo("2");
            ipc.ipcUnsubscribe(b("1"));
            assertThat(s(ipc.ipcSubscribe(b("h.*")))).isEqualTo("3");
        }

        @Test
        void the129thSubscriptionIsRefused() {
            IpcFunctions ipc = bindIpc(capsule("alpha", new String[] {}, new String[] {"test.*"}));
            for (int i = 0; i < 128; i++) {
                ipc.ipcSubscribe(b("test.loop"));
            }
            assertHostError(() -> ipc.ipcSubscribe(b("test.loop"))).hasMessageContaining("Subscription limit reached");
        }
    }

    /** {@code astrid_ipc_unsubscribe}. */
    @Nested
    class Unsubscribe {
        @Test
        void anUnsubscribedHandleIsGone() {
            IpcFunctions ipc = bindIpc(capsule("alpha", new String[] {}, new String[] {"h.*"}));
            String handle = s(ipc.ipcSubscribe(b("h.*")));
            ipc.ipcUnsubscribe(b(handle));
            assertHostError(() -> ipc.ipcPoll(b(handle))).hasMessageContaining("Subscription handle not found");
            assertHostError(() -> ipc.ipcUnsubscribe(b(handle))).hasMessageContaining("Subscription handle not found");
        }
    }

    /** {@code astrid_ipc_poll}: the empty envelope and handle parsing. */
    @Nested
    class Poll {
        @Test
        void pollWithNothingQueuedReturnsTheEmptyEnvelope() {
            IpcFunctions ipc = bindIpc(capsule("alpha", new String[] {}, new String[] {"quiet.*"}));
            String handle = assertThatIpc(ipc).subscribes("quiet.*");
            assertThatIpc(ipc).polls(handle).isEmpty();
        }

        @Test
        void handlesAreParsedAsRustParsesU64() {
            IpcFunctions ipc = bindIpc(capsule("alpha", new String[] {}, new String[] {"h.*"}));
            String handle = s(ipc.ipcSubscribe(b("h.*")));
            assertEmptyEnvelope(ipc.ipcPoll(b("+" + handle)));
            for (String bad : new String[] {"", " 1", "1 ", "-1", "0x1", "abc", "1.0", "++1", "18446744073709551616"}) {
                assertHostError(() -> ipc.ipcPoll(b(bad))).as("handle '%s'", bad);
            }
        }

        @Test
        void unknownHandlesAreRefusedEverywhere() {
            IpcFunctions ipc = bindIpc(capsule("alpha", new String[] {}, new String[] {"h.*"}));
            assertHostError(() -> ipc.ipcPoll(b("99"))).hasMessageContaining("Subscription handle not found");
            assertHostError(() -> ipc.ipcRecv(b("99"), b("0"))).hasMessageContaining("Subscription handle not found");
            assertHostError(() -> ipc.ipcUnsubscribe(b("99"))).hasMessageContaining("Subscription handle not found");
        }
    }

    /** {@code astrid_ipc_recv}: waiting, waking and timing out. */
    @Nested
    class Recv {
        @Test
        void recvTimesOutWithTheEmptyEnvelope() {
            IpcFunctions ipc = bindIpc(capsule("alpha", new String[] {}, new String[] {"quiet.*"}));
            String handle = s(ipc.ipcSubscribe(b("quiet.*")));
            assertEmptyEnvelope(ipc.ipcRecv(b(handle), b("20")));
            assertEmptyEnvelope(ipc.ipcRecv(b(handle), b("0")));
        }

        @Test
        void recvReturnsWhatIsAlreadyQueued() {
            IpcFunctions ipc = bindIpc(capsule("alpha", new String[] {"q.x"}, new String[] {"q.x"}));
            String handle = s(ipc.ipcSubscribe(b("q.x")));
            ipc.ipcPublish(b("q.x"), b("1"));
            ipc.ipcPublish(b("q.x"), b("2"));
            assertThat(messages(ipc.ipcRecv(b(handle), b("60000")))).hasSize(2);
        }

        @Test
        void aBlockedRecvWakesWhenAMessageArrives() throws Exception {
            IpcFunctions sender = bindIpc(capsule("sender", new String[] {"wake.up"}, new String[] {}));
            IpcFunctions receiver = bindIpc(capsule("receiver", new String[] {}, new String[] {"wake.*"}));
            String handle = s(receiver.ipcSubscribe(b("wake.*")));

            Background<byte[]> recv = inBackground("recv", () -> receiver.ipcRecv(b(handle), b("60000")));
            recv.awaitTimedWaiting();
            sender.ipcPublish(b("wake.up"), b("{\"n\":1}"));

            List<Map<String, Object>> got = messages(recv.get());
            assertThat(got).hasSize(1);
            assertThat(got.get(0).get("topic")).isEqualTo("wake.up");
        }

        @Test
        void closingTheBindingWakesABlockedRecv() throws Exception {
            IpcFunctions ipc = bindIpc(capsule("alpha", new String[] {}, new String[] {"never.*"}));
            String handle = s(ipc.ipcSubscribe(b("never.*")));

            Background<byte[]> recv = inBackground("recv", () -> ipc.ipcRecv(b(handle), b("60000")));
            recv.awaitTimedWaiting();
            unload(ipc);

            assertEmptyEnvelope(recv.get());
            assertHostError(() -> ipc.ipcPoll(b(handle)));
        }
    }

    /** A capsule leaving the bus. */
    @Nested
    class Unload {
        @Test
        void anUnloadedCapsuleLeavesTheBus() throws Exception {
            IpcFunctions sender = bindIpc(capsule("sender", new String[] {"gone.x"}, new String[] {}));
            IpcFunctions receiver = bindIpc(capsule("receiver", new String[] {}, new String[] {"gone.x"}));
            receiver.ipcSubscribe(b("gone.x"));
            unload(receiver);
            sender.ipcPublish(b("gone.x"), b("1"));
            assertHostError(() -> receiver.ipcSubscribe(b("gone.x")));
            assertHostError(() -> receiver.ipcPublish(b("gone.x"), b("1")));
        }
    }

    /** {@code astrid_get_interceptor_handles} and delivery to interceptors. */
    @Nested
    class Interceptors {
        @Test
        void aCapsuleWithoutInterceptorsListsNoHandles() {
            IpcFunctions ipc = bindIpc(capsule("alpha", new String[] {}, new String[] {}));
            assertThat(JsonTree.parse(s(ipc.getInterceptorHandles()))).isEqualTo(List.of());
        }

        @Test
        void aRunLoopCapsuleOwnsItsInterceptorHandles() {
            CapsuleManifest manifest = CapsuleManifest.bare("looper")
                    .withCapabilities(Capabilities.builder().ipcSubscribe("x.*", "tool.*.request", "user.input").build())
                    .withInterceptors(List.of(new CapsuleManifest.Interceptor("tool.*.request", "on_tool"),
                            new CapsuleManifest.Interceptor("user.input", "on_input")));
            TestCapsule looper = host.capsule("looper").manifest(manifest)
                    .exports(List.of("run"), (e, in) -> new byte[0]).build();
            IpcFunctions ipc = bindIpc(looper);
            IpcFunctions sender = bindIpc(capsule("sender", new String[] {"tool.*.request"}, new String[] {}));

            assertThat(JsonTree.parse(s(ipc.getInterceptorHandles()))).isEqualTo(JsonTree.parse(
                    "[{\"handle_id\":1,\"action\":\"on_tool\",\"topic\":\"tool.*.request\"},"
                            + "{\"handle_id\":2,\"action\":\"on_input\",\"topic\":\"user.input\"}]"));
            assertThat(s(ipc.ipcSubscribe(b("x.y")))).isEqualTo("3");
            assertHostError(() -> ipc.ipcUnsubscribe(b("1")))
                    .hasMessageContaining("Cannot unsubscribe a runtime-owned interceptor handle");

            sender.ipcPublish(b("tool.fs.request"), b("{\"path\":\"/\"}"));
            List<Map<String, Object>> got = messages(ipc.ipcPoll(b("1")));
            assertThat(got).hasSize(1);
            assertThat(got.get(0).get("payload")).isEqualTo(JsonTree.parse("{\"type\":\"custom\",\"data\":{\"path\":\"/\"}}"));
        }

        @Test
        void aCapsuleWithoutRunGetsMatchingMessagesThroughItsHookExport() throws Exception {
            BlockingQueue<String> calls = new LinkedBlockingQueue<>();
            CapsuleManifest manifest = CapsuleManifest.bare("hooked")
                    .withCapabilities(Capabilities.builder().ipcSubscribe("chat.*").build())
                    .withInterceptors(List.of(new CapsuleManifest.Interceptor("chat.*", "on_chat")));
            TestCapsule hooked = host.capsule("hooked").manifest(manifest)
                    .exports(List.of("astrid_hook_trigger"), (e, in) -> {
                        calls.add(e + " " + s(in));
                        return new byte[0];
                    }).build();
            IpcFunctions hookedIpc = bindIpc(hooked);
            IpcFunctions sender = bindIpc(capsule("sender", new String[] {"chat.*", "chat.a.b"}, new String[] {}));

            sender.ipcPublish(b("chat.a.b"), b("{\"no\":1}"));
            sender.ipcPublish(b("chat.room"), b("{\"k\":\"v\"}"));

            String call = calls.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(call).as("a hook call within %s", PATIENCE).isNotNull();
            // The inner data of a custom payload, {"k":"v"}, as a JSON array of byte values.
            assertThat(call).isEqualTo("astrid_hook_trigger {\"name\":\"on_chat\",\"arguments\":"
                    + "[123,34,107,34,58,34,118,34,125]}");
            assertThat(JsonTree.parse(s(hookedIpc.getInterceptorHandles()))).isEqualTo(List.of());
        }

        @Test
        void anInterceptorMustBeCoveredByTheSubscribeCapability() {
            // An interceptor receives what a subscription to its event would, so it needs the same permission;
            // a capsule that declares one without it is refused when it is bound, whether it has a run loop or not.
            List<CapsuleManifest.Interceptor> all = List.of(new CapsuleManifest.Interceptor("*.*", "on_everything"));
            for (String export : new String[] {"run", "astrid_hook_trigger"}) {
                for (Capabilities caps : new Capabilities[] {Capabilities.NONE,
                        Capabilities.builder().ipcSubscribe("chat.*", "*.*.*").build()}) {
                    TestCapsule spy = host.capsule("spy-" + export + "-" + caps.ipcSubscribe().size())
                            .manifest(CapsuleManifest.bare("spy-" + export + "-" + caps.ipcSubscribe().size())
                                    .withCapabilities(caps).withInterceptors(all))
                            .exports(List.of(export), (e, in) -> new byte[0]).build();
                    assertHostError(() -> bindIpc(spy)).as("%s with ipc_subscribe %s", export, caps.ipcSubscribe())
                            .hasMessageContaining("on_everything").hasMessageContaining("ipc_subscribe");
                }
            }
        }
    }

    /** {@code astrid_signal_ready}. */
    @Nested
    class SignalReady {
        @Test
        void signalReadyMarksTheCapsuleReady() {
            TestCapsule looper = host.capsule("looper").exports(List.of("run"), (e, in) -> new byte[0]).build();
            IpcFunctions ipc = bindIpc(looper);
            ipc.signalReady();
            ipc.signalReady();
            assertThat(looper.isReady()).isTrue();
        }
    }

    /** {@code astrid_uplink_register} and {@code astrid_uplink_send}. */
    @Nested
    class Uplinks {
        @Test
        void uplinkSendReachesTheConsumer() {
            List<UplinkMessage> received = new CopyOnWriteArrayList<>();
            TestCapsule capsule = host.capsule("bridge")
                    .manifest(CapsuleManifest.bare("bridge")
                            .withUplinks(List.of(new CapsuleManifest.Uplink("main", "telegram", "chat"))))
                    .uplinkConsumer(received::add).build();
            IpcFunctions ipc = bindIpc(capsule);

            String id = s(ipc.uplinkRegister(b("main"), b(" Telegram "), b("Human")));
            assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            assertThat(JsonTree.parse(s(ipc.uplinkSend(b(id), b("user-1"), b("hello")))))
                    .isEqualTo(JsonTree.parse("{\"ok\":true}"));
            assertThat(received).hasSize(1);
            assertThat(received.get(0).platform()).isEqualTo("telegram");
            assertThat(received.get(0).platformUserId()).isEqualTo("user-1");
            assertThat(received.get(0).content()).isEqualTo("hello");
            assertThat(received.get(0).uplinkId()).isEqualTo(id);
        }

        @Test
        void uplinkSendReportsADropWhenTheConsumerRefuses() {
            TestCapsule capsule = host.capsule("bridge")
                    .capabilities(Capabilities.builder().uplink(true).build())
                    .uplinkConsumer(m -> false).build();
            IpcFunctions ipc = bindIpc(capsule);
            String id = s(ipc.uplinkRegister(b("main"), b("discord"), b("notify")));
            assertThat(JsonTree.parse(s(ipc.uplinkSend(b(id), b("u"), b("c")))))
                    .isEqualTo(JsonTree.parse("{\"ok\":false,\"dropped\":true}"));
        }

        @Test
        void uplinkSendNeedsTheUplinkCapability() {
            TestCapsule capsule = host.capsule("plain").uplinkConsumer(m -> true).build();
            IpcFunctions ipc = bindIpc(capsule);
            String id = s(ipc.uplinkRegister(b("main"), b("discord"), b("chat")));
            assertHostError(() -> ipc.uplinkSend(b(id), b("u"), b("c")));
        }

        @Test
        void uplinkRegistrationRefusesBadProfilesDuplicatesAndTheThirtyThird() {
            IpcFunctions ipc = bindIpc(host.capsule("plain").build());
            assertHostError(() -> ipc.uplinkRegister(b("x"), b("p"), b("robot")))
                    .hasMessageContaining("invalid uplink profile");
            ipc.uplinkRegister(b("dup"), b("p"), b("chat"));
            assertHostError(() -> ipc.uplinkRegister(b("dup"), b(" P "), b("bridge")));
            for (int i = 1; i < 32; i++) {
                ipc.uplinkRegister(b("u" + i), b("p"), b("interactive"));
            }
            assertHostError(() -> ipc.uplinkRegister(b("one-more"), b("p"), b("chat")));
        }
    }
}
