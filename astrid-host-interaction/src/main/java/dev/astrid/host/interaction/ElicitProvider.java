package dev.astrid.host.interaction;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.FamilyProvider;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.PrintableText;
import dev.astrid.host.spi.TypedFamily;
import dev.astrid.host.spi.services.Answer;
import dev.astrid.host.spi.services.Interaction;
import dev.astrid.host.spi.services.InteractionException;
import dev.astrid.host.spi.services.Question;
import dev.astrid.host.spi.services.SecretStore;
import dev.astrid.host.spi.services.SecretStoreException;
import dev.astrid.sys.abi.ElicitFunctions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * The elicitation family: {@code astrid_elicit} asks a person for a value while the capsule
 * installs or upgrades, through the host's {@link Interaction}. A {@code secret} answer goes to the
 * host's {@link SecretStore} and only {@code {"ok":true}} comes back; other answers are returned.
 *
 * <p>Settings: {@code elicit.timeout-ms} (default 120000), how long a person may take to answer.
 */
public final class ElicitProvider implements FamilyProvider<ElicitFunctions> {
    /** The setting of how long a person may take, in milliseconds. */
    public static final String TIMEOUT_SETTING = "elicit.timeout-ms";
    /** Its default: two minutes. */
    public static final long DEFAULT_TIMEOUT_MS = 120_000;
    /** The longest key, in bytes of UTF-8. */
    public static final int MAX_KEY_BYTES = 256;
    /** The most options of a select question. */
    public static final int MAX_OPTIONS = 256;

    private static final String SHAPE = "{\"type\":\"text|secret|select|array\",\"key\":\"..\",\"description\":\"..\","
            + "\"options\":[..],\"default\":\"..\"}";

    private final ExecutorService threads = Daemons.pool("astrid-elicit");

    @Override
    public String name() {
        return "astrid-host-interaction-elicit";
    }

    @Override
    public TypedFamily<ElicitFunctions> typedFamily() {
        return TypedFamily.ELICIT;
    }

    @Override
    public ElicitFunctions bind(CapsuleContext capsule) {
        long ms = capsule.settings().getLong(TIMEOUT_SETTING, DEFAULT_TIMEOUT_MS);
        if (ms <= 0) {
            throw new HostException("setting " + TIMEOUT_SETTING + " must be a positive number of milliseconds, got " + ms);
        }
        return new Binding(capsule, Duration.ofMillis(ms), new PersonWait(threads));
    }

    @Override
    public void close() {
        Daemons.stop(threads);
    }

    private static final class Binding implements ElicitFunctions, AutoCloseable {
        private final CapsuleContext capsule;
        private final Duration timeout;
        private final PersonWait wait;

        Binding(CapsuleContext capsule, Duration timeout, PersonWait wait) {
            this.capsule = capsule;
            this.timeout = timeout;
            this.wait = wait;
        }

        @Override
        public byte[] elicit(byte[] request) {
            Question q = question(capsule.capsuleId(), request);
            if (!capsule.currentInvocation().isLifecycle()) {
                throw new HostException("elicit is only available while the capsule installs or upgrades "
                        + "(its astrid_install or astrid_upgrade export), not during "
                        + (capsule.currentInvocation().export().isEmpty() ? "this call" : "'" + capsule.currentInvocation().export() + "'"));
            }
            String shownKey = PrintableText.escape(q.key());
            Interaction interaction = capsule.interaction();
            if (interaction == Interaction.NONE) {
                throw new HostException("no answer for '" + shownKey + "': this host has nobody to ask (no Interaction is configured)");
            }
            Optional<Answer> answer;
            try {
                answer = wait.await(() -> interaction.ask(q), timeout);
            } catch (PersonWait.Ended | InteractionException e) {
                throw new HostException("no answer for '" + shownKey + "': " + e.getMessage());
            } catch (RuntimeException e) {
                // The embedding application's failure: its details are for the host's log, not the guest.
                capsule.logger().log(System.Logger.Level.WARNING, "asking for " + shownKey + " failed", e);
                throw new HostException("no answer for '" + shownKey + "': the host could not ask (see the host's log)");
            }
            if (answer.isEmpty()) {
                throw new HostException("no answer for '" + shownKey + "': the question was declined");
            }
            JsonObject out = new JsonObject();
            switch (q.kind()) {
                case SECRET:
                    byte[] value = answer.get().value().getBytes(StandardCharsets.UTF_8);
                    if (value.length == 0) {
                        throw new HostException("the answer for secret '" + shownKey + "' is empty");
                    }
                    try {
                        capsule.secrets().put(capsule.stateNamespace(), q.key(), value);
                    } catch (SecretStoreException e) {
                        throw new HostException("cannot store secret '" + shownKey + "': " + e.getMessage(), e);
                    }
                    out.addProperty("ok", true);
                    break;
                case ARRAY:
                    JsonArray values = new JsonArray();
                    answer.get().values().forEach(values::add);
                    out.add("values", values);
                    break;
                case SELECT:
                    String choice = answer.get().value();
                    if (!q.options().contains(choice)) {
                        throw new HostException("the answer for '" + shownKey + "' is not one of its options");
                    }
                    out.addProperty("value", choice);
                    break;
                default:
                    out.addProperty("value", answer.get().value());
            }
            return out.toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            wait.close();
        }
    }

    /** The question a request asks, checked. */
    static Question question(String capsuleId, byte[] request) {
        JsonRequest r = JsonRequest.parse(request, SHAPE);
        String type = r.string("type");
        Question.Kind kind = null;
        for (Question.Kind k : Question.Kind.values()) {
            if (k.wireName().equals(type.toLowerCase(Locale.ROOT))) {
                kind = k;
            }
        }
        if (kind == null) {
            throw new HostException("unknown elicit type '" + PrintableText.escape(type) + "'; expected text, secret, select or array");
        }
        String key = r.string("key");
        if (key.isEmpty() || key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new HostException("the key must be 1 to " + MAX_KEY_BYTES + " bytes");
        }
        if (kind == Question.Kind.SECRET) {
            String invalid = SecretStore.invalidKey(key);
            if (invalid != null) {
                throw new HostException(invalid);
            }
        }
        List<String> options = r.strings("options");
        if (kind == Question.Kind.SELECT && options.isEmpty()) {
            throw new HostException("a select question needs a non-empty \"options\" list");
        }
        if (options.size() > MAX_OPTIONS) {
            throw new HostException("at most " + MAX_OPTIONS + " options, got " + options.size());
        }
        String description = r.optionalString("description");
        String prompt = description == null || description.isBlank() ? key : description;
        return new Question(capsuleId, kind, key, prompt, kind == Question.Kind.SELECT ? options : List.of(), r.optionalString("default"));
    }
}
