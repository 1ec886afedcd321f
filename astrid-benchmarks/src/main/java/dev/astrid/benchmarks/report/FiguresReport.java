package dev.astrid.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the figures of docs/benchmarks.md from JMH's JSON files: the Markdown goes between the
 * {@value #BEGIN} and {@value #END} markers of the document (the prose around them stays), the
 * chart into an SVG file. Run by {@code astrid-benchmarks/report.sh}:
 *
 * <pre>
 * java -cp benchmarks.jar dev.astrid.benchmarks.report.FiguresReport --doc DOC --svg SVG \
 *     --run LABEL FILE DESCRIPTION [--run ...]
 * </pre>
 *
 * Exits with status 2 and a message naming the file and the reason when an argument, a result
 * file or the markers are missing or garbled; nothing is written then.
 */
public final class FiguresReport {
    /** The line before the generated figures. */
    public static final String BEGIN = "<!-- figures:begin -->";
    /** The line after the generated figures. */
    public static final String END = "<!-- figures:end -->";

    private FiguresReport() {}

    /** Command-line entry point. */
    public static void main(String[] args) {
        try {
            run(args);
        } catch (ReportException e) {
            System.err.println("report: " + e.getMessage());
            System.exit(2);
        }
    }

    /**
     * Does what {@link #main} does, throwing instead of exiting.
     *
     * @throws ReportException on a missing or garbled argument, file or marker
     */
    public static void run(String[] args) {
        Path doc = null;
        Path svg = null;
        List<Figures.Run> runs = new ArrayList<>();
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--doc":
                    doc = Path.of(value(args, ++i, "--doc"));
                    break;
                case "--svg":
                    svg = Path.of(value(args, ++i, "--svg"));
                    break;
                case "--run":
                    String label = value(args, ++i, "--run LABEL");
                    Path file = Path.of(value(args, ++i, "--run LABEL FILE"));
                    String description = value(args, ++i, "--run LABEL FILE DESCRIPTION");
                    runs.add(new Figures.Run(label, description));
                    results.addAll(JmhJson.read(file, label));
                    break;
                default:
                    throw new ReportException("unknown argument '" + args[i]
                            + "'; usage: --doc DOC --svg SVG --run LABEL FILE DESCRIPTION [--run ...]");
            }
        }
        if (doc == null || svg == null || runs.isEmpty()) {
            throw new ReportException("usage: --doc DOC --svg SVG --run LABEL FILE DESCRIPTION [--run ...]");
        }
        Figures figures = new Figures(runs, results);
        Path docDir = doc.toAbsolutePath().getParent();
        String link = docDir.relativize(svg.toAbsolutePath()).toString().replace('\\', '/');
        String updated = insert(read(doc), figures.markdown(link), doc);
        String chart = Chart.svg(figures.bars(), runs);
        try {
            Path svgDir = svg.toAbsolutePath().getParent();
            if (svgDir != null) {
                Files.createDirectories(svgDir);
            }
            Files.writeString(svg, chart, StandardCharsets.UTF_8);
            Files.writeString(doc, updated, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ReportException("cannot write the report: " + e);
        }
    }

    /**
     * The document with everything between the markers replaced by {@code figures}.
     *
     * @throws ReportException unless each marker is on a line of its own, once, begin before end
     */
    static String insert(String document, String figures, Path where) {
        int begin = document.indexOf(BEGIN + "\n");
        int end = document.indexOf(END);
        if (begin < 0 || end < 0 || end < begin || document.indexOf(BEGIN, begin + 1) >= 0
                || document.indexOf(END, end + 1) >= 0) {
            throw new ReportException(where + ": needs one line '" + BEGIN + "' followed later by one line '" + END + "'");
        }
        return document.substring(0, begin + BEGIN.length() + 1) + "\n" + figures + "\n" + document.substring(end);
    }

    private static String read(Path doc) {
        try {
            return Files.readString(doc, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ReportException(doc + ": cannot read (" + e + ")");
        }
    }

    private static String value(String[] args, int i, String what) {
        if (i >= args.length) {
            throw new ReportException(what + " needs a value");
        }
        return args[i];
    }
}
