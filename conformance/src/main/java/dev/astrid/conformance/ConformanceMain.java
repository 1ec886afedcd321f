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
        return run(new CommandLineHost(hostCommand, hostArgs), cases == null ? CaseFiles.builtIn() : CaseFiles.read(cases),
                only == null ? null : Pattern.compile(only), allow == null ? AllowList.NONE : AllowList.read(allow), report,
                Math.max(1, jobs), out);
    }

    /**
     * Runs the built-in cases on a host, as the command does: one line per case, the table per
     * function, and last the summary line. This is how a Java host drives the kit in-process.
     *
     * @param only run only the cases whose id this finds; null for all
     * @param allowFile declared deviations; null for none
     * @param reportDir where to write the JUnit XML and Markdown reports; null for none
     * @return 0 when no case failed, else 1
     * @throws Exception when the kit itself cannot run (not when a case fails)
     */
    public static int runBuiltIn(HostUnderTest host, Pattern only, Path allowFile, Path reportDir, int jobs, PrintStream out)
            throws Exception {
        return run(host, CaseFiles.builtIn(), only, allowFile == null ? AllowList.NONE : AllowList.read(allowFile), reportDir,
                jobs, out);
    }

    static int run(HostUnderTest host, List<Case> all, Pattern only, AllowList allow, Path reportDir, int jobs,
            PrintStream out) throws Exception {
        List<Case> selected = new ArrayList<>();
        for (Case c : all) {
            if (only == null || only.matcher(c.id()).find()) {
                selected.add(c);
            }
        }
        List<CaseRunner.Result> results = new ArrayList<>();
        try (FixtureServer http = new FixtureServer()) {
            CaseRunner runner = new CaseRunner(host, http.baseUrl());
            ExecutorService pool = Executors.newFixedThreadPool(jobs);
            try {
                List<Future<CaseRunner.Result>> futures = new ArrayList<>();
                for (Case c : selected) {
                    futures.add(pool.submit(() -> runner.run(c)));
                }
                for (Future<CaseRunner.Result> f : futures) {
                    CaseRunner.Result r = f.get();
                    if (r.status() == CaseRunner.Status.FAIL) {
                        var reason = allow.reason(r.c().id());
                        if (reason.isPresent()) {
                            r = new CaseRunner.Result(r.c(), CaseRunner.Status.SKIP, "allowed: " + reason.get() + " (" + r.detail() + ")",
                                    r.advisory(), r.millis());
                        }
                    }
                    results.add(r);
                    out.println(r.status() + " " + r.c().id() + (r.detail().isEmpty() ? "" : ": " + r.detail())
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
        out.println(report.summary());
        return report.count(CaseRunner.Status.FAIL) == 0 ? 0 : 1;
    }
}
