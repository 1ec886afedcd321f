package dev.astrid.host.tck;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.services.Interaction;
import dev.astrid.host.spi.services.Question;
import dev.astrid.sys.abi.ElicitFunctions;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.GuestExports;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The observable contract of the elicitation family ({@code docs/families/interaction.md}):
 * {@code astrid_elicit} works only while the capsule installs or upgrades, asks the host's
 * {@link Interaction}, returns {@code {"value"}} or {@code {"values"}}, and sends a secret to the
 * host's secret store, returning only {@code {"ok":true}}. Silence ends in a trap after the
 * provider's timeout, never a hang.
 *
 * <p>Extend it and implement {@link #createProvider()}; override {@link #shortTimeout()} when the
 * provider takes its timeout from another setting than {@code elicit.timeout-ms}.
 */
public abstract class ElicitProviderContract extends ProviderContract<ElicitFunctions> {

    /** How long a test waits for something that should happen at once (a hang guard only). */
    protected static final Duration PATIENCE = Duration.ofSeconds(30);

    /** The interaction of the test capsule. */
    protected final ScriptedInteraction person = new ScriptedInteraction();
    /** The secret store of the test capsule's host. */
    protected final MemorySecretStore secrets = new MemorySecretStore();

    @Override
    protected final Family family() {
        return Family.ELICIT;
    }

    /** The provider is found as a host finds it: its module provides it and ServiceLoader loads it. */
    @Test
    void isRegisteredForServiceLoader() {
        assertRegisteredAsService();
    }

    /** Settings that make the provider give up waiting for a person after about 200 ms. */
    protected ProviderSettings shortTimeout() {
        return ProviderSettings.of(java.util.Map.of("elicit.timeout-ms", "200"));
    }

    @AfterEach
    void closeProvider() {
        provider.close();
    }

    /** A capsule whose current call is {@code export}, bound with the given settings and interaction. */
    protected ElicitFunctions during(String export, ProviderSettings settings, Interaction interaction) {
        TestCapsule c = host.capsule("asker").settings(settings).secrets(secrets).interaction(interaction).build();
        c.setInvocation(new Invocation(export, Invocation.Caller.NONE));
        return bind(c);
    }

    /** A capsule in its install call, asking {@link #person}. */
    protected ElicitFunctions installing() {
        return during(GuestExports.INSTALL, ProviderSettings.empty(), person);
    }

    private static String json(byte[] out) {
        return JsonParser.parseString(new String(out, StandardCharsets.UTF_8)).toString();
    }

    @Nested
    class Lifecycle {
        @Test
        void outsideInstallAndUpgradeItTrapsNamingTheRule() {
            ElicitFunctions e = during("run", ProviderSettings.empty(), person.answer("name", "Ada"));
            assertHostError(() -> e.elicit(b("{\"type\":\"text\",\"key\":\"name\"}")))
                    .hasMessageContaining("install").hasMessageContaining("upgrade");
            assertThat(person.questions()).as("nobody is asked outside the lifecycle").isEmpty();
        }

        @Test
        void duringUpgradeItAsks() {
            ElicitFunctions e = during(GuestExports.UPGRADE, ProviderSettings.empty(), person.answer("name", "Ada"));
            assertThat(json(e.elicit(b("{\"type\":\"text\",\"key\":\"name\"}")))).isEqualTo("{\"value\":\"Ada\"}");
        }

        @Test
        void withNoCurrentCallItTraps() {
            ElicitFunctions e = during("", ProviderSettings.empty(), person.answer("name", "Ada"));
            assertHostError(() -> e.elicit(b("{\"type\":\"text\",\"key\":\"name\"}"))).hasMessageContaining("install");
        }
    }

    @Nested
    class Text {
        @Test
        void returnsTheAnswerAndShowsTheDescription() {
            person.answer("city", "Zürich ✓");
            byte[] out = installing().elicit(b("{\"type\":\"text\",\"key\":\"city\",\"description\":\"Where do you live?\"}"));
            assertThat(json(out)).isEqualTo("{\"value\":\"Zürich ✓\"}");
            Question q = person.questions().get(0);
            assertThat(q.kind()).isEqualTo(Question.Kind.TEXT);
            assertThat(q.prompt()).isEqualTo("Where do you live?");
            assertThat(q.capsuleId()).isEqualTo("asker");
        }

        @Test
        void withoutADescriptionThePromptIsTheKey() {
            person.answer("city", "Bern");
            installing().elicit(b("{\"type\":\"text\",\"key\":\"city\",\"default\":\"Basel\"}"));
            assertThat(person.questions().get(0).prompt()).isEqualTo("city");
            assertThat(person.questions().get(0).defaultValue()).isEqualTo("Basel");
        }

        @Test
        void anEmptyAnswerIsReturnedAsEmpty() {
            person.answer("nick", "");
            assertThat(json(installing().elicit(b("{\"type\":\"text\",\"key\":\"nick\"}")))).isEqualTo("{\"value\":\"\"}");
        }
    }

    @Nested
    class Secret {
        @Test
        void goesToTheSecretStoreAndNeverBackToTheGuest() {
            person.answer("api_key", "sk-very-secret");
            byte[] out = installing().elicit(b("{\"type\":\"secret\",\"key\":\"api_key\"}"));
            assertThat(json(out)).isEqualTo("{\"ok\":true}");
            assertThat(s(out)).doesNotContain("sk-very-secret");
            assertThat(secrets.get("capsule:asker", "api_key")).hasValueSatisfying(v ->
                    assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("sk-very-secret"));
        }

        @Test
        void anEmptySecretTrapsAndStoresNothing() {
            person.answer("api_key", "");
            assertHostError(() -> installing().elicit(b("{\"type\":\"secret\",\"key\":\"api_key\"}"))).hasMessageContaining("empty");
            assertThat(secrets.size()).isZero();
        }

        @Test
        void aSecretNameWithAColonTraps() {
            person.answer("a:b", "x");
            assertHostError(() -> installing().elicit(b("{\"type\":\"secret\",\"key\":\"a:b\"}"))).hasMessageContaining("':'");
            assertThat(person.questions()).isEmpty();
        }
    }

    @Nested
    class Select {
        @Test
        void returnsAnAnswerThatIsAnOption() {
            person.answer("size", "m");
            byte[] out = installing().elicit(b("{\"type\":\"select\",\"key\":\"size\",\"options\":[\"s\",\"m\",\"l\"]}"));
            assertThat(json(out)).isEqualTo("{\"value\":\"m\"}");
            assertThat(person.questions().get(0).options()).containsExactly("s", "m", "l");
        }

        @Test
        void anAnswerOutsideTheOptionsTraps() {
            person.answer("size", "xxl");
            assertHostError(() -> installing().elicit(b("{\"type\":\"select\",\"key\":\"size\",\"options\":[\"s\",\"m\"]}")))
                    .hasMessageContaining("options");
        }

        @Test
        void aSelectWithoutOptionsTraps() {
            assertHostError(() -> installing().elicit(b("{\"type\":\"select\",\"key\":\"size\"}"))).hasMessageContaining("options");
            assertHostError(() -> installing().elicit(b("{\"type\":\"select\",\"key\":\"size\",\"options\":[]}"))).hasMessageContaining("options");
        }
    }

    @Nested
    class Array {
        @Test
        void returnsEveryValueInOrder() {
            person.answer("tags", List.of("b", "a", "ü"));
            assertThat(json(installing().elicit(b("{\"type\":\"array\",\"key\":\"tags\"}")))).isEqualTo("{\"values\":[\"b\",\"a\",\"ü\"]}");
        }
    }

    @Nested
    class BadRequests {
        @Test
        void notJsonTraps() {
            assertHostError(() -> installing().elicit(b("{nope"))).hasMessageContaining("JSON");
        }

        @Test
        void anUnknownTypeTraps() {
            assertHostError(() -> installing().elicit(b("{\"type\":\"colour\",\"key\":\"k\"}"))).hasMessageContaining("colour");
        }

        @Test
        void aMissingKeyTraps() {
            assertHostError(() -> installing().elicit(b("{\"type\":\"text\"}"))).hasMessageContaining("key");
        }

        @Test
        void aRequestOverTheGuestPayloadLimitTraps() {
            byte[] big = new byte[PayloadLimits.MAX_GUEST_PAYLOAD + 1];
            java.util.Arrays.fill(big, (byte) ' ');
            assertHostError(() -> installing().elicit(big)).hasMessageContaining("exceeds");
            assertThat(person.questions()).isEmpty();
        }
    }

    @Nested
    class NoAnswer {
        @Test
        void nobodyToAskTrapsNamingTheKey() {
            ElicitFunctions e = during(GuestExports.INSTALL, ProviderSettings.empty(), Interaction.NONE);
            assertHostError(() -> e.elicit(b("{\"type\":\"text\",\"key\":\"region\"}"))).hasMessageContaining("region");
        }

        @Test
        void aPersonWhoNeverAnswersEndsInATrapAfterTheTimeout() {
            ElicitFunctions e = during(GuestExports.INSTALL, shortTimeout(), person.silent());
            assertHostError(() -> e.elicit(b("{\"type\":\"secret\",\"key\":\"token\"}"))).hasMessageContaining("token");
            assertThat(secrets.size()).isZero();
        }

        @Test
        void unloadingTheCapsuleEndsTheWait() throws Exception {
            ElicitFunctions e = during(GuestExports.INSTALL, ProviderSettings.empty(), person.silent());
            CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    e.elicit(b("{\"type\":\"text\",\"key\":\"name\"}"));
                    return null;
                } catch (RuntimeException t) {
                    return t;
                }
            });
            assertThat(person.awaitAsked(PATIENCE)).isTrue();
            assertThat(e).isInstanceOf(AutoCloseable.class);
            ((AutoCloseable) e).close();
            assertThat(waiting.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(dev.astrid.host.spi.HostException.class)
                    .hasMessageContaining("name");
        }
    }
}
