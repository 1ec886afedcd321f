package dev.astrid.host.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.sys.abi.IpcFunctions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.AbstractThrowableAssert;

/**
 * Assertions on one capsule's IPC binding in the terms of the bus:
 * {@code assertThatIpc(ipc).polls(handle).hasTopics("chat.room").hasData("{\"text\":\"hi\"}")}.
 * Envelopes are parsed, never compared as text, so key order and spacing are free.
 */
public final class IpcAssert {
    private final IpcFunctions ipc;

    private IpcAssert(IpcFunctions ipc) {
        this.ipc = ipc;
    }

    /** Starts assertions on an IPC binding. */
    public static IpcAssert assertThatIpc(IpcFunctions ipc) {
        return new IpcAssert(ipc);
    }

    /** {@code ipc_subscribe(pattern)} succeeds and answers a decimal handle, which is returned. */
    public String subscribes(String pattern) {
        String handle = new String(ipc.ipcSubscribe(utf8(pattern)), StandardCharsets.UTF_8);
        assertThat(handle).as("handle of ipc_subscribe(%s)", pattern).matches("[1-9][0-9]*");
        return handle;
    }

    /** {@code ipc_subscribe(pattern)} is refused; returns an assertion on the error for its reason. */
    public AbstractThrowableAssert<?, ? extends Throwable> refusesSubscribe(String pattern) {
        return ProviderContract.assertHostError(() -> ipc.ipcSubscribe(utf8(pattern))).as("ipc_subscribe(%s)", pattern);
    }

    /** {@code ipc_publish(topic, payload)} is refused; returns an assertion on the error for its reason. */
    public AbstractThrowableAssert<?, ? extends Throwable> refusesPublish(String topic, String payload) {
        return ProviderContract.assertHostError(() -> ipc.ipcPublish(utf8(topic), utf8(payload)))
                .as("ipc_publish(%s, %s)", topic, payload);
    }

    /** Calls {@code ipc_poll(handle)} and checks the envelope's shape; returns assertions on it. */
    public EnvelopeAssert polls(String handle) {
        return new EnvelopeAssert("ipc_poll(" + handle + ")", ipc.ipcPoll(utf8(handle)));
    }

    /** Calls {@code ipc_recv(handle, timeoutMs)} and checks the envelope's shape; returns assertions on it. */
    public EnvelopeAssert receives(String handle, long timeoutMs) {
        return new EnvelopeAssert("ipc_recv(" + handle + ", " + timeoutMs + ")",
                ipc.ipcRecv(utf8(handle), utf8(Long.toString(timeoutMs))));
    }

    /** Assertions on one envelope {@code {"messages":[..],"dropped":n,"lagged":n}}. */
    public static final class EnvelopeAssert {
        private final String call;
        private final Map<String, Object> envelope;
        private final List<Map<String, Object>> messages;

        @SuppressWarnings("unchecked")
        EnvelopeAssert(String call, byte[] bytes) {
            this.call = call;
            String text = new String(bytes, StandardCharsets.UTF_8);
            Object parsed = JsonTree.parse(text);
            assertThat(parsed).as("%s must answer a JSON object, got %s", call, text).isInstanceOf(Map.class);
            envelope = (Map<String, Object>) parsed;
            assertThat(envelope).as("envelope of %s", call).containsKeys("messages", "dropped", "lagged");
            assertThat(envelope.get("messages")).as("messages of %s", call).isInstanceOf(List.class);
            messages = (List<Map<String, Object>>) envelope.get("messages");
        }

        /** No messages, nothing dropped, nothing lagged. */
        public EnvelopeAssert isEmpty() {
            assertThat(messages).as("messages of %s", call).isEmpty();
            return hasDropped(0).hasLagged(0);
        }

        /** Exactly these topics, in this order. */
        public EnvelopeAssert hasTopics(String... topics) {
            assertThat(messages).as("topics of %s", call).extracting(m -> m.get("topic")).containsExactly((Object[]) topics);
            return this;
        }

        /** Exactly these payloads (each given as JSON, compared parsed), in this order. */
        public EnvelopeAssert hasPayloads(String... json) {
            List<Object> expected = new ArrayList<>();
            for (String j : json) {
                expected.add(JsonTree.parse(j));
            }
            assertThat(messages).as("payloads of %s", call).extracting(m -> m.get("payload")).containsExactlyElementsOf(expected);
            return this;
        }

        /**
         * Exactly these published values, in this order: each payload is the custom event wrapping
         * the value, {@code {"type":"custom","data":<value>}} (each given as JSON).
         */
        public EnvelopeAssert hasData(String... json) {
            String[] wrapped = new String[json.length];
            for (int i = 0; i < json.length; i++) {
                wrapped[i] = "{\"type\":\"custom\",\"data\":" + json[i] + "}";
            }
            return hasPayloads(wrapped);
        }

        /** Every message was published by the capsule of this session. */
        public EnvelopeAssert allFrom(UUID sessionId) {
            assertThat(messages).as("source_id of the messages of %s", call).extracting(m -> m.get("source_id"))
                    .containsOnly(sessionId.toString());
            return this;
        }

        /** The {@code dropped} count. */
        public EnvelopeAssert hasDropped(long n) {
            assertThat(envelope.get("dropped")).as("dropped of %s", call).isEqualTo(n);
            return this;
        }

        /** The {@code lagged} count. */
        public EnvelopeAssert hasLagged(long n) {
            assertThat(envelope.get("lagged")).as("lagged of %s", call).isEqualTo(n);
            return this;
        }

        /** The parsed messages, for what the other assertions do not cover. */
        public List<Map<String, Object>> messages() {
            return messages;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
