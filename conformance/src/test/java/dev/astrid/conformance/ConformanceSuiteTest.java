package dev.astrid.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.sys.abi.AbiFunction;
import dev.astrid.sys.abi.ExtensionFunction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import dev.astrid.sys.abi.SdkProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in cases against this repository's host, in-process: every case passes. */
class ConformanceSuiteTest {
    @TempDir
    Path reports;

    @Test
    void theCasesCoverEveryFunctionThreeWaysAtLeast() {
        List<Case> cases = CaseFiles.builtIn();
        assertThat(cases.size()).isGreaterThanOrEqualTo(144);
        Map<String, Long> perFunction = cases.stream().collect(Collectors.groupingBy(Case::function, Collectors.counting()));
        perFunction.forEach((fn, n) -> assertThat(n).as(fn).isGreaterThanOrEqualTo(3));
        // The 48 and the extension functions beyond them, each one.
        assertThat(perFunction.keySet()).containsExactlyInAnyOrderElementsOf(DriverFunctions.symbols());
        assertThat(DriverFunctions.symbols()).hasSize(AbiFunction.values().length + ExtensionFunction.values().length);
        for (ExtensionFunction fn : ExtensionFunction.values()) {
            Set<String> kinds = cases.stream().filter(c -> c.function().equals(fn.symbol())).map(Case::kind).collect(Collectors.toSet());
            assertThat(kinds).as(fn.symbol()).contains("normal", "edge", "refusal");
        }
        // A live stream needs a client, which the command-line contract cannot attach (docs/conformance.md):
        // these three are covered by their edges and refusals here and by NetProviderContract.
        Set<AbiFunction> noLiveStream = EnumSet.of(AbiFunction.NET_READ, AbiFunction.NET_WRITE, AbiFunction.NET_CLOSE_STREAM);
        for (AbiFunction fn : AbiFunction.values()) {
            Set<String> kinds = cases.stream().filter(c -> c.function().equals(fn.symbol())).map(Case::kind).collect(Collectors.toSet());
            if (noLiveStream.contains(fn)) {
                assertThat(kinds).as(fn.symbol()).contains("edge", "refusal");
            } else {
                assertThat(kinds).as(fn.symbol()).contains("normal", "edge");
            }
        }
    }

    /**
     * The runs of {@code mvn verify}: every case under seed; under each other profile every case
     * with an expectation of its own for that profile, and every eighth of the rest (a different
     * eighth per profile). With
     * {@code -Dastrid.conformance.allProfiles=true} every case runs under every profile, as
     * {@code ./astrid-conformance} does.
     */
    static List<ConformanceMain.Run> runs(List<Case> cases, boolean all) {
        List<ConformanceMain.Run> runs = new java.util.ArrayList<>();
        for (SdkProfile p : SdkProfile.all()) {
            int i = 0;
            for (Case c : cases) {
                boolean differs = c.perProfile().containsKey(p.id()) || c.notApplicable().containsKey(p.id());
                if (all || p == SdkProfile.SEED || differs || i++ % 8 == p.ordinal()) {
                    runs.add(new ConformanceMain.Run(c, p.id()));
                }
            }
        }
        return runs;
    }

    @Test
    void theReferenceHostPassesEveryCaseUnderEveryProfile() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<ConformanceMain.Run> runs = runs(CaseFiles.builtIn(), Boolean.getBoolean("astrid.conformance.allProfiles"));
        int code = ConformanceMain.run(new InProcessAstridHost(List.of()), runs, ConformanceMain.DEFAULT_PROFILE_ARGS, AllowList.NONE,
                reports, 1, new PrintStream(out, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed.lines().filter(l -> l.startsWith("FAIL ")).collect(Collectors.toList())).as(printed).isEmpty();
        assertThat(code).isZero();
        String[] lines = printed.strip().split("\\R");
        assertThat(lines[lines.length - 1]).matches("[0-9]+ passed, 0 failed, [0-9]+ skipped");
        for (SdkProfile p : SdkProfile.all()) {
            assertThat(printed).containsPattern("(?m)^profile " + Pattern.quote(p.id()) + ": [1-9][0-9]* passed, 0 failed, [0-9]+ skipped$");
        }
        String junit = Files.readString(reports.resolve("conformance-junit.xml"));
        assertThat(junit).contains("failures=\"0\"").contains("<testsuite name=\"astrid-conformance [0.5]\"");
        assertThat(Files.readString(reports.resolve("conformance.md"))).contains("| `astrid_kv_get` |")
                .contains("| `astrid_http_stream_read` |").contains("## Profile `0.4`");
    }

    @Test
    void underEveryProfileTheCronFreeDriverIsUsedOnlyWhereCronIsNotCalled() {
        // Every case that calls a cron function has an expectation of its own under 0.5 (the load refusal).
        for (Case c : CaseFiles.builtIn()) {
            if (c.calls(java.util.Set.of("astrid_cron_schedule", "astrid_cron_cancel"))) {
                assertThat(c.perProfile().containsKey("0.5") || c.notApplicable().containsKey("0.5")).as(c.id()).isTrue();
            }
        }
    }
}
