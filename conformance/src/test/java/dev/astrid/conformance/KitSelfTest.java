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
        assertThat(printed).contains("FAIL kv_get.x [seed]: expected \"v\", got \"w\"").endsWith("0 passed, 1 failed, 0 skipped" + System.lineSeparator());
        assertThat(code[0]).isEqualTo(1);
        assertThat(run(answering(0, "v", ""), cases(KV_CASE), AllowList.NONE, code)).contains("PASS kv_get.x");
        assertThat(code[0]).isZero();
    }

    @Test
    void anAllowedDeviationIsSkippedWithItsReason() throws Exception {
        Path allow = Files.writeString(dir.resolve("allow.txt"), "# deviations\n/kv_get\\..*/ our store is write-only\n");
        int[] code = new int[1];
        String printed = run(answering(0, "w", ""), cases(KV_CASE), AllowList.read(allow), code);
        assertThat(printed).contains("SKIP kv_get.x [seed]: allowed: our store is write-only").contains("0 passed, 0 failed, 1 skipped");
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

    @Test
    void aProfileCanExpectOtherBytesOrNotApplyAndTheReportIsPerProfile() throws Exception {
        List<Case> cases = cases(KV_CASE + "[case.profile.\"0.5\"]\nexpect = \"\\u0000v\"\n[case.profile.\"0.3\"]\nskip = \"no such SDK\"\n");
        List<ConformanceMain.Run> runs = new java.util.ArrayList<>();
        for (String p : List.of("seed", "0.3", "0.5")) {
            runs.add(new ConformanceMain.Run(cases.get(0), p));
        }
        List<List<String>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        HostUnderTest host = new HostUnderTest() {
            @Override
            public Outcome invoke(Invocation inv) {
                seen.add(inv.hostArgs());
                // Answers the 0.5 wire only when asked for 0.5.
                return new Outcome(0, (inv.hostArgs().contains("--profile=0.5") ? "\0v" : "v").getBytes(StandardCharsets.UTF_8), "");
            }

            @Override
            public String describe() {
                return "fake";
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = ConformanceMain.run(host, runs, ConformanceMain.DEFAULT_PROFILE_ARGS, AllowList.NONE, dir.resolve("report"), 1,
                new PrintStream(out, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed).isZero();
        assertThat(printed).contains("PASS kv_get.x [seed]", "SKIP kv_get.x [0.3]: does not apply to profile 0.3: no such SDK",
                "PASS kv_get.x [0.5]", "profile seed: 1 passed, 0 failed, 0 skipped", "profile 0.3: 0 passed, 0 failed, 1 skipped")
                .endsWith("2 passed, 0 failed, 1 skipped" + System.lineSeparator());
        assertThat(seen).containsExactlyInAnyOrder(List.of("--profile=seed"), List.of("--profile=0.5"));
        assertThat(Files.readString(dir.resolve("report/conformance-junit.xml"))).contains("name=\"kv_get.x [0.5]\"")
                .contains("<testsuite name=\"astrid-conformance [0.3]\" tests=\"1\" failures=\"0\" skipped=\"1\"");
        assertThat(Files.readString(dir.resolve("report/conformance.md"))).contains("| `astrid_kv_get` | 1 / 0 / 0 | 0 / 0 / 1 | 1 / 0 / 0 |");

        // The same host judged under 0.5 by the default expectation fails: the override is what passes it.
        int[] c = new int[1];
        runs.set(2, new ConformanceMain.Run(cases(KV_CASE).get(0), "0.5"));
        out.reset();
        c[0] = ConformanceMain.run(host, runs, ConformanceMain.DEFAULT_PROFILE_ARGS, AllowList.NONE, null, 1,
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("FAIL kv_get.x [0.5]: expected \"v\", got \"\\x00v\"");
        assertThat(c[0]).isEqualTo(1);
    }

    @Test
    void badProfileTablesAndNamesAreRefused() {
        assertThatThrownBy(() -> cases(KV_CASE + "[case.profile.\"0.9\"]\nexpect = \"v\"\n")).hasMessageContaining("profile '0.9': not a profile");
        assertThatThrownBy(() -> cases(KV_CASE + "[case.profile.\"0.5\"]\nexpect = \"v\"\nfails = \"trap\"\n"))
                .hasMessageContaining("profile '0.5': give exactly one of");
        assertThatThrownBy(() -> cases(KV_CASE + "[case.profile.\"0.5\"]\nskip = \"x\"\nexpect = \"v\"\n"))
                .hasMessageContaining("'skip' is a reason, given alone");
        assertThatThrownBy(() -> cases(KV_CASE + "[case.profile.\"0.5\"]\ncolour = 1\n")).hasMessageContaining("unknown key 'colour'");
        assertThatThrownBy(() -> ConformanceMain.checkedProfiles(List.of("seed", "0.6"))).hasMessageContaining("'0.6' is not a profile");
        assertThatThrownBy(() -> ConformanceMain.checkedProfiles(List.of("0.4", "0.4"))).hasMessageContaining("given twice");
    }
}
