package dev.astrid.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kit judges hosts that misbehave: wrong output, the wrong failure class, deviations it was told of. */
class KitSelfTest {
    @TempDir
    Path dir;

    /** A host that answers every invocation the same way. */
    private static HostUnderTest answering(int exit, String stdout, String lastLine) {
        return new HostUnderTest() {
            @Override
            public Outcome invoke(Invocation inv) {
                return new Outcome(exit, stdout.getBytes(StandardCharsets.UTF_8), lastLine);
            }

            @Override
            public String describe() {
                return "fake";
            }
        };
    }

    private static List<Case> cases(String toml) {
        return CaseFiles.parse(toml, "test.toml");
    }

    private static final String KV_CASE = "[[case]]\nid = \"kv_get.x\"\nfunction = \"astrid_kv_get\"\nkind = \"normal\"\n"
            + "steps = [[\"astrid_kv_set\", \"k\", \"v\"], [\"astrid_kv_get\", \"k\"]]\nexpect = \"v\"\n";

    private String run(HostUnderTest host, List<Case> cases, AllowList allow, int[] code) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        code[0] = ConformanceMain.run(host, cases, null, allow, null, 1, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void wrongOutputFailsAndTheExitCodeSaysSo() throws Exception {
        int[] code = new int[1];
        String printed = run(answering(0, "w", ""), cases(KV_CASE), AllowList.NONE, code);
        assertThat(printed).contains("FAIL kv_get.x: expected \"v\", got \"w\"").endsWith("0 passed, 1 failed, 0 skipped" + System.lineSeparator());
        assertThat(code[0]).isEqualTo(1);
        assertThat(run(answering(0, "v", ""), cases(KV_CASE), AllowList.NONE, code)).contains("PASS kv_get.x");
        assertThat(code[0]).isZero();
    }

    @Test
    void anAllowedDeviationIsSkippedWithItsReason() throws Exception {
        Path allow = Files.writeString(dir.resolve("allow.txt"), "# deviations\n/kv_get\\..*/ our store is write-only\n");
        int[] code = new int[1];
        String printed = run(answering(0, "w", ""), cases(KV_CASE), AllowList.read(allow), code);
        assertThat(printed).contains("SKIP kv_get.x: allowed: our store is write-only").contains("0 passed, 0 failed, 1 skipped");
        assertThat(code[0]).isZero();
    }

    @Test
    void failureClassesComeFromTheExitCodeAndTheLastLine() throws Exception {
        String trap = "[[case]]\nid = \"kv_get.t\"\nfunction = \"astrid_kv_get\"\nkind = \"refusal\"\nsteps = [[\"astrid_kv_get\", \"\"]]\nfails = \"trap\"\n";
        int[] code = new int[1];
        assertThat(run(answering(1, "", "astrid: call failed: astrid_kv_get: invalid key"), cases(trap), AllowList.NONE, code)).contains("PASS");
        assertThat(run(answering(1, "", "astrid: call failed: timed out after 10 ms"), cases(trap), AllowList.NONE, code))
                .contains("expected a trap, got a timeout");
        assertThat(run(answering(1, "", "astrid: call failed: astrid_kv_set: other function"), cases(trap), AllowList.NONE, code))
                .contains("got a guest-error");
        assertThat(run(answering(2, "", "cannot load"), cases(trap), AllowList.NONE, code)).contains("got a load-error");
        assertThat(run(answering(0, "", ""), cases(trap), AllowList.NONE, code)).contains("but the call succeeded");
    }

    @Test
    void malformedCaseFilesAreRefusedNamingTheCase() {
        assertThatThrownBy(() -> cases(KV_CASE.replace("kind = \"normal\"", "kind = \"happy\""))).hasMessageContaining("kv_get.x")
                .hasMessageContaining("kind");
        assertThatThrownBy(() -> cases(KV_CASE.replace("[\"astrid_kv_get\", \"k\"]", "[\"astrid_kv_get\", \"k\", \"extra\"]")))
                .hasMessageContaining("takes 1 argument");
        assertThatThrownBy(() -> cases(KV_CASE.replace("function = \"astrid_kv_get\"", "function = \"astrid_nope\"")))
                .hasMessageContaining("not one of the 48");
        assertThatThrownBy(() -> cases(KV_CASE + "colour = 1\n")).hasMessageContaining("unknown key 'colour'");
        assertThatThrownBy(() -> cases(KV_CASE.replace("expect = \"v\"", "expect = \"v\"\nfails = \"trap\"")))
                .hasMessageContaining("exactly one of");
    }

    @Test
    void stepsAreEncodedForTheDriver() {
        byte[] in = CaseRunner.encode(List.of(List.of("astrid_kv_get", "ab"), List.of("astrid_clock_ms")), java.util.Map.of());
        assertThat(in).containsExactly(14, 1, 2, 0, 0, 0, 'a', 'b', 32, 0);
    }
}
