package dev.astrid.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report generator on JMH JSON captured from real short runs of both jars
 * ({@code src/test/resources/jmh/host.json}: {@code KvRoundTripBenchmark.full} on the compiler with
 * {@code -prof gc}, {@code PlainJavaKvBaseline} and {@code IpcPublishRecvBenchmark.crossThread};
 * {@code extism-peer.json}: the peer's three benchmarks).
 */
class FiguresReportTest {
    private static final String DOC = "# Benchmarks\n\nProse before.\n\n" + FiguresReport.BEGIN + "\nold figures\n"
            + FiguresReport.END + "\n\nProse after.\n";

    @TempDir
    Path dir;

    @Test
    void tableAndChartCarryTheScoresAndTheRatios() throws IOException {
        Path doc = write("benchmarks.md", DOC);
        Path svg = dir.resolve("benchmarks/figures.svg");
        FiguresReport.run(args(doc, svg, resource("host.json"), resource("extism-peer.json")));

        List<Result> host = JmhJson.read(resource("host.json"), "host");
        List<Result> peer = JmhJson.read(resource("extism-peer.json"), "extism-peer");
        Result hostFull = only(host, "KvRoundTripBenchmark.full");
        Result peerFull = only(peer, "ExtismKvRoundTripBenchmark.full");
        Result floor = only(host, "PlainJavaKvBaseline.roundTrip");
        Result delivered = only(host, "IpcPublishRecvBenchmark.crossThread:delivered");
        assertThat(hostFull.params()).containsEntry("engine", "compiler");
        assertThat(hostFull.score()).isPositive();
        assertThat(only(host, "KvRoundTripBenchmark.full:" + JmhJson.ALLOC_NORM).unit()).isEqualTo("B/op");

        String md = Files.readString(doc);
        assertThat(md).startsWith("# Benchmarks\n\nProse before.\n\n" + FiguresReport.BEGIN + "\n")
                .endsWith(FiguresReport.END + "\n\nProse after.\n")
                .doesNotContain("old figures")
                .contains("](benchmarks/figures.svg)");
        // Every result is a row with its full score.
        for (Result r : concat(host, peer)) {
            assertThat(md).contains("| " + r.run() + " | `" + r.name() + "` | " + r.paramText() + " | "
                    + Figures.grouped(r.score()) + " | ");
        }
        String ratio = String.format(Locale.ROOT, "%.2fx", hostFull.score() / peerFull.score());
        assertThat(Figures.times(hostFull.score() / peerFull.score())).isEqualTo(ratio);
        assertThat(md).contains("| round trip: this host / Extism SDK with AoT | " + Figures.si(hostFull.score()) + "/s | "
                + Figures.si(peerFull.score()) + "/s | **" + ratio + "** |");
        assertThat(md).contains("| round trip: this host / Extism's Java SDK with AoT | " + ratio + " | ≥ 2.50x | "
                + (hostFull.score() / peerFull.score() >= 2.5 ? "yes" : "no") + " |");
        // Below 0.1 a ratio keeps two significant digits (the floor is far above this host).
        assertThat(md).contains("**" + String.format(Locale.ROOT, "%.2gx", hostFull.score() / floor.score()) + "**");
        assertThat(md).contains("IPC publish→receive across two capsules, two threads (`IpcPublishRecvBenchmark.crossThread:delivered`) | "
                + Figures.si(delivered.score()) + " msgs/s | ≥ 500 k msgs/s | " + (delivered.score() >= 500e3 ? "yes" : "no"));
        // No bare-engine result in these files: no row that would need one.
        assertThat(md).doesNotContain("| round trip: this host / bare engine |")
                .contains("| round trip: this host / the bare-engine shape | not in this run | ≥ 0.90x | |");

        String chart = Files.readString(svg);
        assertThat(chart).startsWith("<svg ").endsWith("</svg>\n")
                .contains(">KvRoundTripBenchmark.full [engine=compiler]</text>")
                .contains(">ExtismKvRoundTripBenchmark.full</text>")
                .contains(">" + Figures.si(hostFull.score()) + "</text>")
                .contains(">" + Figures.si(peerFull.score()) + "</text>")
                .contains(">IpcPublishRecvBenchmark.crossThread:delivered</text>")
                .contains(">1 M</text>").contains(">100 M</text>")
                // A group's total means nothing beside its threads' own figures; allocation is not throughput.
                .doesNotContain(">IpcPublishRecvBenchmark.crossThread</text>")
                .doesNotContain(JmhJson.ALLOC_NORM);
    }

    @Test
    void theSameJsonGivesTheSameFiles() throws IOException {
        Path doc1 = write("a.md", DOC);
        Path doc2 = write("b.md", DOC);
        FiguresReport.run(args(doc1, dir.resolve("a.svg"), resource("host.json"), resource("extism-peer.json")));
        FiguresReport.run(args(doc2, dir.resolve("b.svg"), resource("host.json"), resource("extism-peer.json")));
        assertThat(Files.readString(doc1).replace("a.svg", "x")).isEqualTo(Files.readString(doc2).replace("b.svg", "x"));
        assertThat(Files.readString(dir.resolve("a.svg"))).isEqualTo(Files.readString(dir.resolve("b.svg")));
        // Running again on its own output replaces the figures rather than adding to them.
        FiguresReport.run(args(doc1, dir.resolve("a.svg"), resource("host.json"), resource("extism-peer.json")));
        assertThat(Files.readString(doc1).replace("a.svg", "x")).isEqualTo(Files.readString(doc2).replace("b.svg", "x"));
    }

    @Test
    void aBareEngineResultAddsItsRatios() throws IOException {
        List<Result> results = new ArrayList<>(JmhJson.read(resource("host.json"), "host"));
        results.addAll(JmhJson.read(resource("extism-peer.json"), "extism-peer"));
        Result hostFull = only(results, "KvRoundTripBenchmark.full");
        results.add(new Result("host", "BareEngineKvBenchmark.full", "", new TreeMap<>(), hostFull.score() / 0.8, 1,
                "ops/s", 5));
        String md = new Figures(List.of(new Figures.Run("host", "h"), new Figures.Run("extism-peer", "p")), results)
                .markdown("f.svg");
        assertThat(md).contains("| round trip: this host / bare engine | " + Figures.si(hostFull.score()) + "/s | "
                + Figures.si(hostFull.score() / 0.8) + "/s | **0.80x** |")
                .contains("| round trip: this host / the bare-engine shape | 0.80x | ≥ 0.90x | no |");
    }

    @Test
    void aMissingOrGarbledResultFailsNamingTheFile() throws IOException {
        Path doc = write("benchmarks.md", DOC);
        Path svg = dir.resolve("f.svg");
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> FiguresReport.run(args(doc, svg, resource("host.json"), missing)))
                .isInstanceOf(ReportException.class).hasMessageContaining(missing.toString()).hasMessageContaining("cannot read");

        String real = Files.readString(resource("extism-peer.json"));
        Path truncated = write("truncated.json", real.substring(0, real.length() / 2));
        assertThatThrownBy(() -> FiguresReport.run(args(doc, svg, resource("host.json"), truncated)))
                .isInstanceOf(ReportException.class).hasMessageContaining(truncated.toString()).hasMessageContaining("not JSON");

        Path noScore = write("noscore.json", real.replaceFirst("\"score\" : [0-9.E]+", "\"score\" : \"fast\""));
        assertThatThrownBy(() -> FiguresReport.run(args(doc, svg, resource("host.json"), noScore)))
                .isInstanceOf(ReportException.class).hasMessageContaining("'score' is \"fast\", not a number");

        Path empty = write("empty.json", "[]");
        assertThatThrownBy(() -> FiguresReport.run(args(doc, svg, resource("host.json"), empty)))
                .isInstanceOf(ReportException.class).hasMessageContaining("non-empty array");

        // Two runs of the host and no peer: the ratios the page is for cannot be made.
        assertThatThrownBy(() -> FiguresReport.run(args(doc, svg, resource("host.json"), resource("host.json"))))
                .isInstanceOf(ReportException.class).hasMessageContaining("no ExtismKvRoundTripBenchmark.full");

        // Nothing was written by the failed runs.
        assertThat(Files.readString(doc)).isEqualTo(DOC);
        assertThat(svg).doesNotExist();
    }

    @Test
    void aDocumentWithoutItsMarkersIsRefused() throws IOException {
        Path doc = write("benchmarks.md", "# Benchmarks\n\nno markers\n");
        assertThatThrownBy(() -> FiguresReport.run(args(doc, dir.resolve("f.svg"), resource("host.json"),
                resource("extism-peer.json"))))
                .isInstanceOf(ReportException.class).hasMessageContaining(FiguresReport.BEGIN);
        assertThat(Files.readString(doc)).isEqualTo("# Benchmarks\n\nno markers\n");
    }

    private static String[] args(Path doc, Path svg, Path host, Path peer) {
        return new String[] {"--doc", doc.toString(), "--svg", svg.toString(), "--run", "host", host.toString(),
            "host run", "--run", "extism-peer", peer.toString(), "peer run"};
    }

    private Path resource(String name) throws IOException {
        Path p = dir.resolve("jmh-" + name);
        if (!Files.exists(p)) {
            try (InputStream in = FiguresReportTest.class.getResourceAsStream("/jmh/" + name)) {
                assertThat(in).as(name).isNotNull();
                Files.copy(in, p);
            }
        }
        return p;
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static Result only(List<Result> results, String name) {
        List<Result> found = results.stream().filter(r -> r.name().equals(name)).toList();
        assertThat(found).as(name).hasSize(1);
        return found.get(0);
    }

    private static List<Result> concat(List<Result> a, List<Result> b) {
        List<Result> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
