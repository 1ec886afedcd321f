package dev.astrid.conformance;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The results per profile, per function and per case: a terminal table per profile, JUnit XML (a
 * test suite per profile) and a Markdown page.
 */
final class Report {
    private final String host;
    private final List<CaseRunner.Result> results;
    private final Map<String, List<CaseRunner.Result>> byProfile;

    Report(String host, List<CaseRunner.Result> results) {
        this.host = host;
        this.results = List.copyOf(results);
        this.byProfile = results.stream().collect(Collectors.groupingBy(CaseRunner.Result::profile, LinkedHashMap::new,
                Collectors.toList()));
    }

    long count(CaseRunner.Status s) {
        return count(results, s);
    }

    private static long count(List<CaseRunner.Result> rs, CaseRunner.Status s) {
        return rs.stream().filter(r -> r.status() == s).count();
    }

    /**
     * Passed, failed, skipped per function name, in catalog order with the extensions last; a
     * function no case covers has none.
     */
    static Map<String, long[]> perFunction(List<CaseRunner.Result> rs) {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (String fn : DriverFunctions.symbols()) {
            m.put(fn, new long[3]);
        }
        for (CaseRunner.Result r : rs) {
            m.get(r.c().function())[r.status().ordinal()]++;
        }
        return m;
    }

    /** The table per function of each profile. */
    void printTable(PrintStream out) {
        byProfile.forEach((profile, rs) -> {
            out.println();
            out.printf("profile %s%n", profile);
            out.printf("%-34s %6s %6s %7s%n", "function", "passed", "failed", "skipped");
            perFunction(rs).forEach((fn, n) -> out.printf("%-34s %6d %6d %7d%s%n", fn, n[0], n[1], n[2],
                    n[0] + n[1] + n[2] == 0 ? "   (no case)" : ""));
        });
    }

    /** A summary line per profile, then the total line last. */
    void printSummaries(PrintStream out) {
        out.println();
        byProfile.forEach((profile, rs) -> out.println("profile " + profile + ": " + summary(rs)));
        out.println(summary());
    }

    String summary() {
        return summary(results);
    }

    private static String summary(List<CaseRunner.Result> rs) {
        return count(rs, CaseRunner.Status.PASS) + " passed, " + count(rs, CaseRunner.Status.FAIL) + " failed, "
                + count(rs, CaseRunner.Status.SKIP) + " skipped";
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("conformance-junit.xml"), junit());
        Files.writeString(dir.resolve("conformance.md"), markdown());
    }

    private String junit() {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<testsuites name=\"astrid-conformance\" tests=\"").append(results.size()).append("\" failures=\"")
                .append(count(CaseRunner.Status.FAIL)).append("\" skipped=\"").append(count(CaseRunner.Status.SKIP))
                .append("\" errors=\"0\">\n");
        byProfile.forEach((profile, rs) -> {
            double seconds = rs.stream().mapToLong(CaseRunner.Result::millis).sum() / 1000.0;
            b.append("  <testsuite name=\"astrid-conformance [").append(xml(profile)).append("]\" tests=\"").append(rs.size())
                    .append("\" failures=\"").append(count(rs, CaseRunner.Status.FAIL)).append("\" skipped=\"")
                    .append(count(rs, CaseRunner.Status.SKIP)).append("\" errors=\"0\" time=\"").append(seconds).append("\">\n");
            b.append("    <properties><property name=\"host\" value=\"").append(xml(host))
                    .append("\"/><property name=\"profile\" value=\"").append(xml(profile)).append("\"/></properties>\n");
            for (CaseRunner.Result r : rs) {
                b.append("    <testcase classname=\"").append(xml(r.c().function())).append("\" name=\"").append(xml(r.c().id()))
                        .append(" [").append(xml(profile)).append("]\" time=\"").append(r.millis() / 1000.0).append("\"");
                if (r.status() == CaseRunner.Status.PASS) {
                    b.append("/>\n");
                } else if (r.status() == CaseRunner.Status.SKIP) {
                    b.append("><skipped message=\"").append(xml(r.detail())).append("\"/></testcase>\n");
                } else {
                    b.append("><failure message=\"").append(xml(r.detail())).append("\"/></testcase>\n");
                }
            }
            b.append("  </testsuite>\n");
        });
        return b.append("</testsuites>\n").toString();
    }

    private String markdown() {
        StringBuilder b = new StringBuilder("# Astrid conformance report\n\n");
        b.append("Host: `").append(host).append("` — **").append(summary()).append("**\n\n");
        b.append("| profile | passed | failed | skipped |\n|---|---:|---:|---:|\n");
        byProfile.forEach((profile, rs) -> b.append("| `").append(profile).append("` | ").append(count(rs, CaseRunner.Status.PASS))
                .append(" | ").append(count(rs, CaseRunner.Status.FAIL)).append(" | ").append(count(rs, CaseRunner.Status.SKIP))
                .append(" |\n"));
        List<String> profiles = new ArrayList<>(byProfile.keySet());
        b.append("\n## Per function\n\nEach cell is passed / failed / skipped.\n\n| function |");
        profiles.forEach(p -> b.append(" `").append(p).append("` |"));
        b.append("\n|---|");
        profiles.forEach(p -> b.append("---:|"));
        b.append("\n");
        List<Map<String, long[]>> tables = profiles.stream().map(p -> perFunction(byProfile.get(p))).collect(Collectors.toList());
        for (String fn : DriverFunctions.symbols()) {
            b.append("| `").append(fn).append("` |");
            for (Map<String, long[]> t : tables) {
                long[] n = t.get(fn);
                b.append(" ").append(n[0]).append(" / ").append(n[1]).append(" / ").append(n[2]).append(" |");
            }
            b.append("\n");
        }
        byProfile.forEach((profile, rs) -> {
            b.append("\n## Profile `").append(profile).append("` — ").append(summary(rs)).append("\n\n");
            b.append("| case | kind | result | detail |\n|---|---|---|---|\n");
            for (CaseRunner.Result r : rs) {
                String detail = (r.detail() + (r.advisory().isEmpty() ? "" : " (advisory: " + r.advisory() + ")")).replace("|", "\\|")
                        .replace("\n", " ");
                b.append("| `").append(r.c().id()).append("` | ").append(r.c().kind()).append(" | ").append(r.status())
                        .append(" | ").append(detail).append(" |\n");
            }
        });
        return b.toString();
    }

    private static String xml(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                case '&': b.append("&amp;"); break;
                case '"': b.append("&quot;"); break;
                default:
                    if (cp < 0x20 && cp != '\t' && cp != '\n') {
                        b.append("\\x").append(String.format("%02x", cp));
                    } else {
                        b.appendCodePoint(cp);
                    }
            }
        });
        return b.toString();
    }
}
