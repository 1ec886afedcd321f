package dev.astrid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.interaction.RememberedApprovals;
import dev.astrid.host.kv.SealedSecretStore;
import dev.astrid.host.spi.services.Answer;
import dev.astrid.host.spi.services.ApprovalDecision;
import dev.astrid.host.spi.services.ApprovalRequest;
import dev.astrid.host.spi.services.InteractionException;
import dev.astrid.host.spi.services.Question;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Install-time questions and approvals on the command line: answers given up front, the failure
 * without a terminal, standing policies and the approvals command; and what the terminal prompts
 * show and return.
 */
class InteractionCliTest {
    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();

    private Path capsule() throws Exception {
        Path c = dir.resolve("onboard");
        Files.createDirectories(c);
        Guests.copyTo("onboarding", c);
        Files.writeString(c.resolve("Capsule.toml"), "[package]\nname = \"onboard\"\nversion = \"0.1.0\"\n\n"
                + "[[component]]\nid = \"onboard\"\nfile = \"onboarding.wasm\"\n");
        return c;
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--setting");
        all.add("secrets.key-file=" + TestHosts.secretsKey(dir));
        all.add("--workspace");
        all.add(workspace().toString());
        return cli.run(dir.resolve("data"), all.toArray(new String[0]));
    }

    private Path workspace() {
        try {
            return Files.createDirectories(dir.resolve("ws"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String out() {
        return cli.out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void answersGivenUpFrontInstallTheCapsuleAndTheSecretStaysOutOfEveryOutput() throws Exception {
        Path c = capsule();
        assertThat(run("run", c.toString(), "--for", "200ms", "--answer", "api_key=sk-cli-7731", "--answer", "region=ch"))
                .as(() -> out() + cli.err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out()).contains("ran astrid_install for onboard").doesNotContain("sk-cli-7731");
        cli.out.reset();
        assertThat(run("call", c.toString(), "has_key")).isZero();
        assertThat(out()).isEqualTo("{\"exists\":true}");
        cli.out.reset();
        assertThat(run("call", c.toString(), "region")).isZero();
        assertThat(out()).isEqualTo("{\"value\":\"ch\"}");
        try (SealedSecretStore s = TestHosts.secrets(dir)) {
            assertThat(s.get("capsule:onboard", "api_key").map(v -> new String(v, StandardCharsets.UTF_8))).contains("sk-cli-7731");
        }
    }

    @Test
    void anAnswersFileWorksAndOptionsOverrideIt() throws Exception {
        Path c = capsule();
        Path answers = dir.resolve("answers.toml");
        Files.writeString(answers, "api_key = \"from-file\"\nregion = \"fr\"\n");
        assertThat(run("run", c.toString(), "--for", "200ms", "--answers", answers.toString(), "--answer", "region=it")).as(() -> out() + cli.err.toString(StandardCharsets.UTF_8)).isZero();
        cli.out.reset();
        assertThat(run("call", c.toString(), "region")).isZero();
        assertThat(out()).isEqualTo("{\"value\":\"it\"}");
    }

    @Test
    void withoutATerminalAMissingAnswerFailsTheInstallNamingTheKeyAndTheOption() throws Exception {
        Path c = capsule();
        assertThat(run("run", c.toString(), "--for", "200ms", "--answer", "region=ch")).isEqualTo(1);
        assertThat(out()).contains("the install hook of onboard failed: astrid_elicit: no answer for 'api_key'")
                .contains("--answer api_key=VALUE");
        String[] lines = out().trim().split("\\R");
        assertThat(lines[lines.length - 1]).isEqualTo("astrid: the install needs answers that nobody was at a terminal to give: "
                + "api_key; give each with --answer KEY=VALUE or in an --answers file");
    }

    @Test
    void withoutATerminalApprovalsAreDeniedUnlessThePolicyAllowsThem() throws Exception {
        Path c = capsule();
        String req = "{\"action\":\"read\",\"resource\":\"docs/plan.md\",\"risk_level\":\"low\"}";
        assertThat(run("call", c.toString(), "approve", "--input", req)).isZero();
        assertThat(out()).isEqualTo("{\"approved\":false,\"decision\":\"deny\"}");
        Path policy = dir.resolve("approvals.toml");
        Files.writeString(policy, "[[allow]]\naction = \"read\"\nresource = \"docs/*\"\n");
        cli.out.reset();
        assertThat(run("call", c.toString(), "approve", "--input", req, "--approval-policy", policy.toString())).isZero();
        assertThat(out()).isEqualTo("{\"approved\":true,\"decision\":\"allowance\"}");
    }

    @Test
    void rememberedApprovalsAreListedAndRevoked() throws Exception {
        Path c = capsule();
        try (RememberedApprovals r = RememberedApprovals.open(dir.resolve("data"))) {
            r.remember("capsule:onboard", "publish", "site", Instant.parse("2026-11-30T10:00:00Z"));
            r.remember("capsule:onboard", "delete", "old", Instant.parse("2026-11-30T10:00:01Z"));
        }
        String req = "{\"action\":\"publish\",\"resource\":\"site\",\"risk_level\":\"low\"}";
        assertThat(run("call", c.toString(), "approve", "--input", req)).isZero();
        assertThat(out()).isEqualTo("{\"approved\":true,\"decision\":\"allowance\"}");
        cli.out.reset();
        assertThat(run("approvals", "list", "onboard")).isZero();
        assertThat(out()).isEqualTo("capsule:onboard\tdelete\told\t2026-11-30T10:00:01Z" + System.lineSeparator()
                + "capsule:onboard\tpublish\tsite\t2026-11-30T10:00:00Z" + System.lineSeparator());
        assertThat(run("approvals", "revoke", c.toString(), "--action", "publish")).isZero();
        assertThat(cli.err.toString(StandardCharsets.UTF_8)).contains("revoked 1 remembered approval of");
        cli.out.reset();
        assertThat(run("call", c.toString(), "approve", "--input", req)).isZero();
        assertThat(out()).isEqualTo("{\"approved\":false,\"decision\":\"deny\"}");
        assertThat(run("approvals", "revoke", "onboard", "--resource", "old")).isEqualTo(1);
    }

    /** A terminal that answers from a script and keeps what it showed. */
    private static final class ScriptedTerminal implements TerminalInteraction.Terminal {
        final Deque<String> lines = new ArrayDeque<>();
        final StringBuilder shown = new StringBuilder();
        int secretReads;

        ScriptedTerminal(String... typed) {
            lines.addAll(List.of(typed));
        }

        @Override
        public String readLine(String prompt) {
            shown.append(prompt);
            return lines.poll();
        }

        @Override
        public char[] readSecret(String prompt) {
            shown.append(prompt);
            secretReads++;
            String s = lines.poll();
            return s == null ? null : s.toCharArray();
        }

        @Override
        public void say(String line) {
            shown.append(line).append('\n');
        }
    }

    @Test
    void theTerminalReadsSecretsWithoutEchoAndEscapesCapsuleText() {
        ScriptedTerminal t = new ScriptedTerminal("hunter2", "", "9", "2", "a", "b", "");
        TerminalInteraction person = new TerminalInteraction(t, Map.of());
        assertThat(person.ask(new Question("evil", Question.Kind.SECRET, "k", "key\u001b[2J", List.of(), null)))
                .contains(Answer.of("hunter2"));
        assertThat(t.secretReads).isEqualTo(1);
        assertThat(person.ask(new Question("evil", Question.Kind.TEXT, "region", "region", List.of(), "eu"))).contains(Answer.of("eu"));
        assertThat(person.ask(new Question("evil", Question.Kind.SELECT, "size", "size", List.of("s", "m"), null))).contains(Answer.of("m"));
        assertThat(person.ask(new Question("evil", Question.Kind.ARRAY, "tags", "tags", List.of(), null)))
                .contains(new Answer(List.of("a", "b")));
        assertThat(t.shown.toString()).doesNotContain("\u001b").contains("not one of the choices");
    }

    @Test
    void theTerminalMapsApprovalAnswersAndDeniesByDefault() {
        ScriptedTerminal t = new ScriptedTerminal("y", "s", "always", "", "whatever");
        TerminalInteraction person = new TerminalInteraction(t, Map.of());
        ApprovalRequest r = new ApprovalRequest("c", "delete", "x", "high");
        assertThat(person.approve(r)).isEqualTo(ApprovalDecision.APPROVE);
        assertThat(person.approve(r)).isEqualTo(ApprovalDecision.APPROVE_SESSION);
        assertThat(person.approve(r)).isEqualTo(ApprovalDecision.APPROVE_ALWAYS);
        assertThat(person.approve(r)).isEqualTo(ApprovalDecision.DENY);
        assertThat(person.approve(r)).isEqualTo(ApprovalDecision.DENY);
        assertThat(person.approve(r)).as("end of input").isEqualTo(ApprovalDecision.DENY);
    }

    @Test
    void withoutATerminalADefaultAnswersButASecretNeverDefaults() {
        TerminalInteraction person = new TerminalInteraction(null, Map.of("tags", List.of("x", "y")));
        assertThat(person.ask(new Question("c", Question.Kind.TEXT, "region", "region", List.of(), "eu"))).contains(Answer.of("eu"));
        assertThat(person.ask(new Question("c", Question.Kind.ARRAY, "tags", "tags", List.of(), null))).contains(new Answer(List.of("x", "y")));
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                person.ask(new Question("c", Question.Kind.SECRET, "token", "token", List.of(), "not-a-secret")))
                .isInstanceOf(InteractionException.class).hasMessageContaining("--answer token=VALUE");
        assertThat(person.missingKeys()).containsExactly("token");
        assertThat(person.approve(new ApprovalRequest("c", "a", "r", "low"))).isEqualTo(ApprovalDecision.DENY);
        assertThat(Optional.of(person.missingKeys().size())).contains(1);
    }
}
