package dev.astrid.host.tck;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.services.ApprovalDecision;
import dev.astrid.host.spi.services.ApprovalRequest;
import dev.astrid.host.spi.services.Interaction;
import dev.astrid.sys.abi.ApprovalFunctions;
import dev.astrid.sys.abi.Family;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The observable contract of the approval family ({@code docs/families/interaction.md}):
 * {@code astrid_request_approval} answers {@code {"approved","decision"}}; a person is asked through
 * the host's {@link Interaction}; {@code approve_session} is remembered for the capsule's load,
 * {@code approve_always} across loads and providers on the same data directory (answered as
 * {@code "allowance"}); a resource with shell metacharacters is never covered by a remembered
 * decision; silence, unloading and having nobody to ask are a denial, never a trap.
 *
 * <p>Extend it and implement {@link #createProvider()}; override {@link #shortTimeout()} when the
 * provider takes its timeout from another setting than {@code approval.timeout-ms}.
 */
public abstract class ApprovalProviderContract extends ProviderContract<ApprovalFunctions> {

    /** How long a test waits for something that should happen at once (a hang guard only). */
    protected static final Duration PATIENCE = Duration.ofSeconds(30);

    /** The interaction of the test capsules. */
    protected final ScriptedInteraction person = new ScriptedInteraction();

    @Override
    protected final Family family() {
        return Family.APPROVAL;
    }

    /** The provider is found as a host finds it: its module provides it and ServiceLoader loads it. */
    @Test
    void isRegisteredForServiceLoader() {
        assertRegisteredAsService();
    }

    /** Settings that make the provider give up waiting for a person after about 200 ms. */
    protected ProviderSettings shortTimeout() {
        return ProviderSettings.of(java.util.Map.of("approval.timeout-ms", "200"));
    }

    @AfterEach
    void closeProvider() {
        provider.close();
    }

    /** Binds a capsule of this id to a provider, asking {@code interaction}. */
    protected ApprovalFunctions capsule(HostProvider p, String id, ProviderSettings settings, Interaction interaction) {
        Object bound = p.bind(host.capsule(id).settings(settings).interaction(interaction).build());
        assertThat(bound).isInstanceOf(ApprovalFunctions.class);
        return (ApprovalFunctions) bound;
    }

    /** A capsule {@code id} asking {@link #person}. */
    protected ApprovalFunctions capsule(String id) {
        return capsule(provider, id, ProviderSettings.empty(), person);
    }

    /** A request's bytes. */
    protected static byte[] request(String action, String resource, String risk) {
        com.google.gson.JsonObject o = new com.google.gson.JsonObject();
        o.addProperty("action", action);
        o.addProperty("resource", resource);
        o.addProperty("risk_level", risk);
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Asserts an answer. */
    protected static void assertAnswer(byte[] out, boolean approved, String decision) {
        assertThat(JsonParser.parseString(new String(out, StandardCharsets.UTF_8)).toString())
                .isEqualTo("{\"approved\":" + approved + ",\"decision\":\"" + decision + "\"}");
    }

    @Nested
    class Decisions {
        @Test
        void approveOnceIsAskedAgainNextTime() {
            person.decide(ApprovalDecision.APPROVE, ApprovalDecision.DENY);
            ApprovalFunctions a = capsule("editor");
            assertAnswer(a.requestApproval(request("delete", "notes/old.md", "high")), true, "approve");
            assertAnswer(a.requestApproval(request("delete", "notes/old.md", "high")), false, "deny");
            assertThat(person.approvals()).hasSize(2);
        }

        @Test
        void thePersonSeesTheCapsuleAndTheRequest() {
            person.decide(ApprovalDecision.DENY);
            capsule("editor").requestApproval(request("delete", "notes/old.md", "high"));
            ApprovalRequest seen = person.approvals().get(0);
            assertThat(seen).isEqualTo(new ApprovalRequest("editor", "delete", "notes/old.md", "high"));
        }

        @Test
        void denyIsNotApproved() {
            person.decide(ApprovalDecision.DENY);
            assertAnswer(capsule("editor").requestApproval(request("delete", "x", "low")), false, "deny");
        }

        @Test
        void approveSessionCoversTheSameRequestForThisLoadOnly() {
            person.decide(ApprovalDecision.APPROVE_SESSION, ApprovalDecision.DENY, ApprovalDecision.DENY);
            ApprovalFunctions a = capsule("editor");
            assertAnswer(a.requestApproval(request("write", "docs/a.md", "low")), true, "approve_session");
            assertAnswer(a.requestApproval(request("write", "docs/a.md", "low")), true, "allowance");
            assertThat(person.approvals()).hasSize(1);
            assertAnswer(a.requestApproval(request("write", "docs/b.md", "low")), false, "deny");
            assertAnswer(capsule("other").requestApproval(request("write", "docs/a.md", "low")), false, "deny");
        }

        @Test
        void approveAlwaysOutlivesTheLoadAndTheProvider() {
            person.decide(ApprovalDecision.APPROVE_ALWAYS);
            assertAnswer(capsule("editor").requestApproval(request("publish", "site", "medium")), true, "approve_always");
            assertAnswer(capsule("editor").requestApproval(request("publish", "site", "medium")), true, "allowance");
            provider.close();
            HostProvider again = createProvider();
            try {
                assertAnswer(capsule(again, "editor", ProviderSettings.empty(), person)
                        .requestApproval(request("publish", "site", "medium")), true, "allowance");
                assertAnswer(capsule(again, "stranger", ProviderSettings.empty(), Interaction.NONE)
                        .requestApproval(request("publish", "site", "medium")), false, "deny");
            } finally {
                again.close();
            }
            assertThat(person.approvals()).hasSize(1);
        }

        @Test
        void aResourceWithShellMetacharactersIsAskedEveryTime() {
            person.decide(ApprovalDecision.APPROVE_SESSION, ApprovalDecision.DENY);
            ApprovalFunctions a = capsule("shell");
            assertAnswer(a.requestApproval(request("run", "ls; rm -rf ~", "high")), true, "approve_session");
            assertAnswer(a.requestApproval(request("run", "ls; rm -rf ~", "high")), false, "deny");
            assertThat(person.approvals()).hasSize(2);
        }
    }

    @Nested
    class NoAnswer {
        @Test
        void nobodyToAskIsADenial() {
            assertAnswer(capsule(provider, "editor", ProviderSettings.empty(), Interaction.NONE)
                    .requestApproval(request("delete", "x", "high")), false, "deny");
        }

        @Test
        void aPersonWhoNeverAnswersIsADenialAfterTheTimeout() {
            ApprovalFunctions a = capsule(provider, "editor", shortTimeout(), person.silent());
            assertAnswer(a.requestApproval(request("delete", "x", "high")), false, "deny");
        }

        @Test
        void unloadingTheCapsuleEndsTheWaitWithADenial() throws Exception {
            ApprovalFunctions a = capsule(provider, "editor", ProviderSettings.empty(), person.silent());
            CompletableFuture<byte[]> waiting = CompletableFuture.supplyAsync(() -> a.requestApproval(request("delete", "x", "high")));
            assertThat(person.awaitAsked(PATIENCE)).isTrue();
            assertThat(a).isInstanceOf(AutoCloseable.class);
            ((AutoCloseable) a).close();
            assertAnswer(waiting.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS), false, "deny");
        }
    }

    @Nested
    class Requests {
        @Test
        void textsAreTrimmedAndStrippedOfControlCharacters() {
            person.decide(ApprovalDecision.DENY);
            capsule("editor").requestApproval(request("  delete\u0007 ", "a\u001b[31mb\n", " high\t"));
            assertThat(person.approvals().get(0)).isEqualTo(new ApprovalRequest("editor", "delete", "a[31mb", "high"));
        }

        @Test
        void longResourcesAndRiskLevelsAreCut() {
            person.decide(ApprovalDecision.DENY);
            capsule("editor").requestApproval(request("read", "r".repeat(5000), "x".repeat(500)));
            ApprovalRequest seen = person.approvals().get(0);
            assertThat(seen.resource()).hasSize(1024);
            assertThat(seen.riskLevel()).hasSize(64);
        }

        @Test
        void anActionOverTheLimitTraps() {
            assertHostError(() -> capsule("editor").requestApproval(request("a".repeat(257), "x", "low"))).hasMessageContaining("256");
            assertThat(person.approvals()).isEmpty();
        }

        @Test
        void aMissingFieldTraps() {
            assertHostError(() -> capsule("editor").requestApproval(b("{\"action\":\"read\",\"resource\":\"x\"}")))
                    .hasMessageContaining("risk_level");
        }

        @Test
        void notJsonTraps() {
            assertHostError(() -> capsule("editor").requestApproval(b("[1,2"))).hasMessageContaining("JSON");
        }
    }
}
