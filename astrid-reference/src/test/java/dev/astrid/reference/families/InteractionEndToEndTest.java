package dev.astrid.reference.families;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.kv.SealedSecretStore;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.services.ApprovalDecision;
import dev.astrid.host.spi.services.Interaction;
import dev.astrid.host.tck.ScriptedInteraction;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.Guests;
import dev.astrid.reference.HostConfig;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.TestHosts;
import dev.astrid.sys.abi.GuestExports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Elicitation and approval through the real kernel: the {@code onboarding} guest's install hook
 * elicits a secret and a text, its {@code approve} export asks for approvals.
 */
class InteractionEndToEndTest {
    @TempDir
    Path dir;

    private Path capsule(String version) throws Exception {
        Path c = dir.resolve("onboard");
        Files.createDirectories(c);
        Guests.copyTo("onboarding", c);
        Files.writeString(c.resolve("Capsule.toml"), "[package]\nname = \"onboard\"\nversion = \"" + version + "\"\n\n"
                + "[[component]]\nid = \"onboard\"\nfile = \"onboarding.wasm\"\n");
        return c;
    }

    private AstridHost host(Interaction person) {
        return host(TestHosts.config(dir, false).interaction(person));
    }

    private static AstridHost host(HostConfig.Builder config) {
        return AstridHost.start(config.build());
    }

    private static String text(byte[] out) {
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void anInstallElicitsASecretThatHasSecretThenSeesAndAnUpgradeAsksAgain() throws Exception {
        ScriptedInteraction person = new ScriptedInteraction().answer("api_key", "sk-live-51f2").answer("region", "ch");
        try (AstridHost host = host(person)) {
            LoadedCapsule c = host.load(capsule("0.1.0"));
            assertThat(text(c.call("has_key", new byte[0]))).isEqualTo("{\"exists\":false}");
            assertThat(host.installIfNeeded(c)).contains(GuestExports.INSTALL);
            assertThat(text(c.call("has_key", new byte[0]))).isEqualTo("{\"exists\":true}");
            assertThat(text(c.call("region", new byte[0]))).isEqualTo("{\"value\":\"ch\"}");
            assertThat(person.questions()).extracting(q -> q.key()).containsExactly("api_key", "region");
            assertThat(person.questions().get(1).defaultValue()).isEqualTo("eu");
            assertThatThrownBy(() -> c.call("ask_now", new byte[0])).isInstanceOf(GuestCallException.class)
                    .hasMessageContaining("astrid_elicit").hasMessageContaining("install");
        }
        try (SealedSecretStore s = TestHosts.secrets(dir)) {
            assertThat(s.get("capsule:onboard", "api_key").map(v -> new String(v, StandardCharsets.UTF_8))).contains("sk-live-51f2");
        }
        for (Path f : new Path[] {dir.resolve("data/kv.db"), dir.resolve("data/kv.db-wal")}) {
            if (Files.exists(f)) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain("sk-live-51f2");
            }
        }
        ScriptedInteraction later = new ScriptedInteraction().answer("region", "de");
        try (AstridHost host = host(later)) {
            LoadedCapsule c = host.load(capsule("0.2.0"));
            assertThat(host.installIfNeeded(c)).contains(GuestExports.UPGRADE);
            assertThat(text(c.call("region", new byte[0]))).isEqualTo("{\"value\":\"de\"}");
            assertThat(later.questions()).extracting(q -> q.key()).containsExactly("region");
        }
    }

    @Test
    void anInstallWithNobodyToAskFailsNamingTheKey() throws Exception {
        try (AstridHost host = host(Interaction.NONE)) {
            LoadedCapsule c = host.load(capsule("0.1.0"));
            assertThatThrownBy(() -> host.installIfNeeded(c)).isInstanceOf(GuestCallException.class)
                    .hasMessageContaining("astrid_elicit").hasMessageContaining("api_key");
            assertThat(text(c.call("has_key", new byte[0]))).isEqualTo("{\"exists\":false}");
        }
        assertThat(dir.resolve("data/approvals.db")).as("no approval was asked for: no database").doesNotExist();
    }

    @Test
    void anApprovalIsGrantedRememberedForTheSessionAndDeniedAfterATimeout() throws Exception {
        ScriptedInteraction person = new ScriptedInteraction().decide(ApprovalDecision.APPROVE_SESSION);
        byte[] publish = "{\"action\":\"publish\",\"resource\":\"site/index.html\",\"risk_level\":\"medium\"}".getBytes(StandardCharsets.UTF_8);
        try (AstridHost host = host(person)) {
            LoadedCapsule c = host.load(capsule("0.1.0"));
            assertThat(text(c.call("approve", publish))).isEqualTo("{\"approved\":true,\"decision\":\"approve_session\"}");
            assertThat(text(c.call("approve", publish))).isEqualTo("{\"approved\":true,\"decision\":\"allowance\"}");
            assertThat(person.approvals()).hasSize(1);
        }
        ScriptedInteraction silent = new ScriptedInteraction().silent();
        try (AstridHost host = host(TestHosts.config(dir, false).interaction(silent).setting("approval.timeout-ms", "300"))) {
            LoadedCapsule c = host.load(capsule("0.1.0"));
            assertThat(text(c.call("approve", publish))).as("a new session: asked again, and silence denies")
                    .isEqualTo("{\"approved\":false,\"decision\":\"deny\"}");
            assertThat(silent.approvals()).hasSize(1);
            assertThatThrownBy(() -> c.call("approve", "{\"action\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(GuestCallException.class).hasMessageContaining("astrid_request_approval").hasMessageContaining("resource");
        }
        assertThat(Optional.of(dir.resolve("data/approvals.db"))).hasValueSatisfying(p -> assertThat(p).exists());
    }
}
