package dev.astrid.host.interaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.services.ApprovalDecision;
import dev.astrid.host.tck.ScriptedInteraction;
import dev.astrid.host.tck.TestCapsule;
import dev.astrid.sys.abi.ApprovalFunctions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApprovalPolicyTest {
    @TempDir
    Path dir;

    private ApprovalPolicy policy(String toml) throws Exception {
        Path f = dir.resolve("approvals.toml");
        Files.writeString(f, toml);
        return ApprovalPolicy.read(f);
    }

    @Test
    void allowRulesCoverMatchingRequestsAndDenyRulesWin() throws Exception {
        ApprovalPolicy p = policy("[[allow]]\naction = \"read\"\nresource = \"docs/*\"\n\n"
                + "[[allow]]\naction = \"*\"\nresource = \"scratch/**\"\n\n"
                + "[[deny]]\naction = \"*\"\nresource = \"scratch/keep/**\"\n\n"
                + "[[deny]]\ncapsule = \"intern\"\naction = \"read\"\nresource = \"docs/*\"\n");
        assertThat(p.size()).isEqualTo(4);
        assertThat(p.decide("notes", "read", "docs/plan.md")).contains(true);
        assertThat(p.decide("notes", "read", "docs/sub/plan.md")).as("* stays in one segment").isEmpty();
        assertThat(p.decide("notes", "write", "docs/plan.md")).isEmpty();
        assertThat(p.decide("notes", "delete", "scratch/a/b")).contains(true);
        assertThat(p.decide("notes", "delete", "scratch/keep/x")).contains(false);
        assertThat(p.decide("intern", "read", "docs/plan.md")).contains(false);
    }

    @Test
    void anAllowRuleNeverCoversShellMetacharactersOrParentSegments() throws Exception {
        ApprovalPolicy p = policy("[[allow]]\naction = \"run\"\nresource = \"**\"\n");
        assertThat(p.decide("c", "run", "ls -la")).contains(true);
        for (String sneaky : new String[] {"ls; rm x", "ls && rm x", "ls || rm x", "ls | sh", "echo $(id)", "echo `id`",
                "cat > x", "cat < x", "docs/../../etc/passwd", ".."}) {
            assertThat(p.decide("c", "run", sneaky)).as(sneaky).isEmpty();
        }
    }

    @Test
    void badFilesAreRefusedWithTheFileAndTheReason() throws Exception {
        assertThatThrownBy(() -> ApprovalPolicy.read(dir.resolve("missing.toml"))).hasMessageContaining("missing.toml")
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> policy("[[allow]]\naction = \"read\"\n")).hasMessageContaining("[[allow]] number 1")
                .hasMessageContaining("resource");
        assertThatThrownBy(() -> policy("[[allow]]\naction = \"read\"\nresource = \"a\"\nwho = \"x\"\n"))
                .hasMessageContaining("unknown key 'who'");
        assertThatThrownBy(() -> policy("[[permit]]\naction = \"read\"\n")).hasMessageContaining("unknown key 'permit'");
        assertThatThrownBy(() -> policy("[[allow]\n")).hasMessageContaining("not valid TOML");
        assertThatThrownBy(() -> policy("[[deny]]\naction = \"read\"\nresource = \"[\"\n")).hasMessageContaining("[[deny]] number 1")
                .hasMessageContaining("invalid pattern");
    }

    @Test
    void theProviderAnswersFromThePolicyWithoutAskingAndRefusesABadPolicyAtLoad() throws Exception {
        Path f = dir.resolve("policy.toml");
        Files.writeString(f, "[[allow]]\naction = \"read\"\nresource = \"docs/*\"\n[[deny]]\naction = \"delete\"\nresource = \"**\"\n");
        TestCapsule.Host host = new TestCapsule.Host(dir.resolve("host"));
        ScriptedInteraction person = new ScriptedInteraction().decide(ApprovalDecision.APPROVE);
        try (ApprovalProvider p = new ApprovalProvider()) {
            ApprovalFunctions a = p.bind(host.capsule("notes")
                    .settings(ProviderSettings.of(Map.of(ApprovalProvider.POLICY_SETTING, f.toString()))).interaction(person).build());
            assertThat(s(a.requestApproval(b("read", "docs/a.md")))).isEqualTo("{\"approved\":true,\"decision\":\"allowance\"}");
            assertThat(s(a.requestApproval(b("delete", "docs/a.md")))).isEqualTo("{\"approved\":false,\"decision\":\"deny\"}");
            assertThat(person.approvals()).isEmpty();
            assertThat(s(a.requestApproval(b("read", "docs/a.md; rm -rf ~")))).isEqualTo("{\"approved\":true,\"decision\":\"approve\"}");
            assertThat(person.approvals()).hasSize(1);
        }
        Files.writeString(f, "[[allow]]\nresource = 3\n");
        try (ApprovalProvider p = new ApprovalProvider()) {
            assertThatThrownBy(() -> p.bind(host.capsule("other")
                    .settings(ProviderSettings.of(Map.of(ApprovalProvider.POLICY_SETTING, f.toString()))).build()))
                    .isInstanceOf(dev.astrid.host.spi.HostException.class).hasMessageContaining(f.toString());
        }
    }

    @Test
    void rememberedDecisionsAreListedAndRevokedFromAnotherConnection() {
        try (RememberedApprovals a = RememberedApprovals.open(dir); RememberedApprovals b = RememberedApprovals.open(dir)) {
            a.remember("capsule:notes", "publish", "site", java.time.Instant.parse("2026-11-30T10:00:00Z"));
            a.remember("capsule:notes", "publish", "blog", java.time.Instant.parse("2026-11-30T10:01:00Z"));
            a.remember("capsule:other", "read", "x", java.time.Instant.parse("2026-11-30T10:02:00Z"));
            assertThat(b.list(Optional.of("capsule:notes"))).extracting(RememberedApprovals.Entry::resource).containsExactly("blog", "site");
            assertThat(b.allows("capsule:notes", "publish", "site")).isTrue();
            assertThat(b.revoke("capsule:notes", Optional.of("publish"), Optional.of("site"))).isEqualTo(1);
            assertThat(a.allows("capsule:notes", "publish", "site")).isFalse();
            assertThat(a.allows("capsule:notes", "publish", "blog")).isTrue();
            assertThat(b.revoke("capsule:notes", Optional.empty(), Optional.empty())).isEqualTo(1);
            assertThat(a.list(Optional.empty())).extracting(RememberedApprovals.Entry::owner).containsExactly("capsule:other");
            assertThatThrownBy(() -> a.revoke("capsule:x", Optional.empty(), Optional.of("r"))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static byte[] b(String action, String resource) {
        return ("{\"action\":\"" + action + "\",\"resource\":\"" + resource + "\",\"risk_level\":\"low\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] out) {
        return new String(out, StandardCharsets.UTF_8);
    }
}
