package dev.astrid.conformance;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import dev.astrid.sys.abi.SdkProfile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code astrid-conformance}: runs the cases against a host and reports. Exit 0 only when nothing failed. */
@Command(name = "astrid-conformance", mixinStandardHelpOptions = true, version = "astrid-conformance 0.1.0",
        description = "Runs the Astrid conformance cases against a host's command line (docs/conformance.md).")
public final class ConformanceMain implements Callable<Integer> {
    @Option(names = "--host", paramLabel = "COMMAND", description = "The host's command (default: ./astrid).")
    String hostCommand = "./astrid";

    @Option(names = "--host-arg", paramLabel = "ARG",
            description = "An argument appended to every invocation of the host, after the contract's own (repeatable); ${data} stands for the case's data directory.")
    List<String> hostArgs = new ArrayList<>();

    @Option(names = "--only", paramLabel = "REGEX", description = "Run only the cases whose id matches (find).")
    String only;

    @Option(names = "--allow", paramLabel = "FILE", description = "Declared deviations: '<case id or /regex/> <reason>' per line.")
    Path allow;

    @Option(names = "--report", paramLabel = "DIR", description = "Write conformance-junit.xml and conformance.md there.")
    Path report;

    @Option(names = "--cases", paramLabel = "FILE|DIR", description = "Case files to run instead of the built-in ones.")
    Path cases;

    @Option(names = "--profiles", paramLabel = "LIST", split = ",",
            description = "The SDK profiles every case runs under, in order (default: seed,0.3,0.4,0.5).")
    List<String> profiles = SdkProfile.all().stream().map(SdkProfile::id).collect(Collectors.toList());

    @Option(names = "--profile-arg", paramLabel = "TEMPLATE",
            description = "The host argument that selects a profile, {profile} standing for its name (repeatable; "
                    + "default: --profile={profile}); --profile-arg= passes none, for a host that serves one profile.")
    List<String> profileArgs;

    @Option(names = "--jobs", paramLabel = "N", description = "Cases run at once (default: the number of processors).")
    int jobs = Runtime.getRuntime().availableProcessors();

    private final PrintStream out;

    private ConformanceMain(PrintStream out) {
        this.out = out;
    }

    /** Entry point. */
    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs the command line; returns the exit code. */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new ConformanceMain(out));
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, c, p) -> {
            c.getErr().println("astrid-conformance: " + ex.getMessage());
            return 2;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        List<Case> all = cases == null ? CaseFiles.builtIn() : CaseFiles.read(cases);
        Pattern selected = only == null ? null : Pattern.compile(only);
        List<Run> runs = new ArrayList<>();
        for (String p : checkedProfiles(profiles)) {
            for (Case c : all) {
                if (selected == null || selected.matcher(c.id()).find()) {
                    runs.add(new Run(c, p));
                }
            }
        }
        return run(new CommandLineHost(hostCommand, hostArgs), runs, profileArgs == null ? DEFAULT_PROFILE_ARGS : profileArgs,
                allow == null ? AllowList.NONE : AllowList.read(allow), report, Math.max(1, jobs), out);
    }

    /** How the kit tells {@code ./astrid} the profile. */
    static final List<String> DEFAULT_PROFILE_ARGS = List.of("--profile={profile}");

    /**
     * One case under one profile.
     *
     * @param c the case
     * @param profile the profile's name
     */
    record Run(Case c, String profile) {}

    /** The profile names given, each one the kit knows, none twice. */
    static List<String> checkedProfiles(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String id = n.trim();
            if (SdkProfile.all().stream().noneMatch(p -> p.id().equals(id))) {
                throw new IllegalArgumentException("--profiles: '" + id + "' is not a profile (" + SdkProfile.names() + ")");
            }
            if (out.contains(id)) {
                throw new IllegalArgumentException("--profiles: '" + id + "' is given twice");
            }
            out.add(id);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--profiles: name at least one profile (" + SdkProfile.names() + ")");
        }
        return out;
    }

    /**
     * Runs the built-in cases on a host under every profile, as the command does by default (the
     * profile given to the host as {@code --profile=NAME} among the host arguments): one line per
     * case and profile, the table per function of each profile, a summary line per profile and
     * last the total. This is how a Java host drives the kit in-process.
     *
     * @param only run only the cases whose id this finds; null for all
     * @param allowFile declared deviations; null for none
     * @param reportDir where to write the JUnit XML and Markdown reports; null for none
     * @return 0 when no case failed, else 1
     * @throws Exception when the kit itself cannot run (not when a case fails)
     */
    public static int runBuiltIn(HostUnderTest host, Pattern only, Path allowFile, Path reportDir, int jobs, PrintStream out)
            throws Exception {
        List<Run> runs = new ArrayList<>();
        for (SdkProfile p : SdkProfile.all()) {
            for (Case c : CaseFiles.builtIn()) {
                if (only == null || only.matcher(c.id()).find()) {
                    runs.add(new Run(c, p.id()));
                }
            }
        }
        return run(host, runs, DEFAULT_PROFILE_ARGS, allowFile == null ? AllowList.NONE : AllowList.read(allowFile), reportDir,
                jobs, out);
    }

    /** Runs every case of a list under one profile, with no profile argument: for hosts and tests that have one wire. */
    static int run(HostUnderTest host, List<Case> all, Pattern only, AllowList allow, Path reportDir, int jobs,
            PrintStream out) throws Exception {
        List<Run> runs = new ArrayList<>();
        for (Case c : all) {
            if (only == null || only.matcher(c.id()).find()) {
                runs.add(new Run(c, SdkProfile.SEED.id()));
            }
        }
        return run(host, runs, List.of(), allow, reportDir, jobs, out);
    }

    /** Runs the given case-profile pairs: one line each, then the tables per profile, and last the summary lines. */
    static int run(HostUnderTest host, List<Run> runs, List<String> profileArgs, AllowList allow, Path reportDir, int jobs,
            PrintStream out) throws Exception {
        List<CaseRunner.Result> results = new ArrayList<>();
        try (FixtureServer http = new FixtureServer()) {
            CaseRunner runner = new CaseRunner(host, http.baseUrl(), profileArgs);
            ExecutorService pool = Executors.newFixedThreadPool(jobs);
            try {
                List<Future<CaseRunner.Result>> futures = new ArrayList<>();
                for (Run r : runs) {
                    futures.add(pool.submit(() -> runner.run(r.c(), r.profile())));
                }
                for (Future<CaseRunner.Result> f : futures) {
                    CaseRunner.Result r = f.get();
                    if (r.status() == CaseRunner.Status.FAIL) {
                        String caseId = r.c().id();
                        var reason = allow.reason(caseId + "@" + r.profile()).or(() -> allow.reason(caseId));
                        if (reason.isPresent()) {
                            r = new CaseRunner.Result(r.c(), r.profile(), CaseRunner.Status.SKIP, "allowed: " + reason.get() + " (" + r.detail() + ")",
                                    r.advisory(), r.millis());
                        }
                    }
                    results.add(r);
                    out.println(r.status() + " " + r.c().id() + " [" + r.profile() + "]" + (r.detail().isEmpty() ? "" : ": " + r.detail())
                            + (r.advisory().isEmpty() ? "" : " [advisory: " + r.advisory() + "]"));
                }
            } finally {
                pool.shutdownNow();
            }
        }
        Report report = new Report(host.describe(), results);
        report.printTable(out);
        if (reportDir != null) {
            report.write(reportDir);
        }
        report.printSummaries(out);
        return report.count(CaseRunner.Status.FAIL) == 0 ? 0 : 1;
    }
}
