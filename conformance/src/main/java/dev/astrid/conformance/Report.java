package dev.astrid.conformance;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The results per function and per case: a terminal table, JUnit XML and a Markdown page. */
final class Report {
    private final String host;
    private final List<CaseRunner.Result> results;

    Report(String host, List<CaseRunner.Result> results) {
        this.host = host;
        this.results = List.copyOf(results);
    }

    long count(CaseRunner.Status s) {
        return results.stream().filter(r -> r.status() == s).count();
    }

    /**
     * Passed, failed, skipped per function name, in catalog order with the extensions last; a
     * function no case covers has none.
     */
    Map<String, long[]> perFunction() {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (String fn : DriverFunctions.symbols()) {
            m.put(fn, new long[3]);
        }
        for (CaseRunner.Result r : results) {
            m.get(r.c().function())[r.status().ordinal()]++;
        }
        return m;
    }

    void printTable(PrintStream out) {
        out.println();
        out.printf("%-34s %6s %6s %7s%n", "function", "passed", "failed", "skipped");
        perFunction().forEach((fn, n) -> out.printf("%-34s %6d %6d %7d%s%n", fn, n[0], n[1], n[2],
                n[0] + n[1] + n[2] == 0 ? "   (no case)" : ""));
    }

    String summary() {
        return count(CaseRunner.Status.PASS) + " passed, " + count(CaseRunner.Status.FAIL) + " failed, "
                + count(CaseRunner.Status.SKIP) + " skipped";
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("conformance-junit.xml"), junit());
        Files.writeString(dir.resolve("conformance.md"), markdown());
    }

    private String junit() {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        double seconds = results.stream().mapToLong(CaseRunner.Result::millis).sum() / 1000.0;
        b.append("<testsuite name=\"astrid-conformance\" tests=\"").append(results.size()).append("\" failures=\"")
                .append(count(CaseRunner.Status.FAIL)).append("\" skipped=\"").append(count(CaseRunner.Status.SKIP))
                .append("\" errors=\"0\" time=\"").append(seconds).append("\">\n");
        b.append("  <properties><property name=\"host\" value=\"").append(xml(host)).append("\"/></properties>\n");
        for (CaseRunner.Result r : results) {
            b.append("  <testcase classname=\"").append(xml(r.c().function())).append("\" name=\"").append(xml(r.c().id()))
                    .append("\" time=\"").append(r.millis() / 1000.0).append("\"");
            if (r.status() == CaseRunner.Status.PASS) {
                b.append("/>\n");
            } else if (r.status() == CaseRunner.Status.SKIP) {
                b.append("><skipped message=\"").append(xml(r.detail())).append("\"/></testcase>\n");
            } else {
                b.append("><failure message=\"").append(xml(r.detail())).append("\"/></testcase>\n");
            }
        }
        return b.append("</testsuite>\n").toString();
    }

    private String markdown() {
        StringBuilder b = new StringBuilder("# Astrid conformance report\n\n");
        b.append("Host: `").append(host).append("` — **").append(summary()).append("**\n\n");
        b.append("| function | passed | failed | skipped |\n|---|---:|---:|---:|\n");
        perFunction().forEach((fn, n) -> b.append("| `").append(fn).append("` | ").append(n[0]).append(" | ")
                .append(n[1]).append(" | ").append(n[2]).append(" |\n"));
        b.append("\n| case | kind | result | detail |\n|---|---|---|---|\n");
        for (CaseRunner.Result r : results) {
            String detail = (r.detail() + (r.advisory().isEmpty() ? "" : " (advisory: " + r.advisory() + ")")).replace("|", "\\|")
                    .replace("\n", " ");
            b.append("| `").append(r.c().id()).append("` | ").append(r.c().kind()).append(" | ").append(r.status())
                    .append(" | ").append(detail).append(" |\n");
        }
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
