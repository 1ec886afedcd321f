package dev.astrid.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart in SVG, one bar per throughput figure on a log scale (the figures span
 * five decades), written by hand so the report needs no plotting library. Bars are coloured by run.
 */
public final class Chart {
    private static final String[] COLOURS = {"#3b6ea8", "#d9822b", "#5a9e4b", "#8e5ba8", "#a83b3b"};
    private static final int LABEL_WIDTH = 470;
    private static final int PLOT_WIDTH = 520;
    private static final int VALUE_WIDTH = 90;
    private static final int ROW = 20;
    private static final int TOP = 46;

    private Chart() {}

    /** The SVG document for these bars; {@code runs} gives the legend and the colour order. */
    public static String svg(List<Result> bars, List<Figures.Run> runs) {
        if (bars.isEmpty()) {
            throw new ReportException("no throughput figure to plot");
        }
        double min = Double.MAX_VALUE;
        double max = 0;
        for (Result r : bars) {
            if (r.score() > 0) {
                min = Math.min(min, r.score());
                max = Math.max(max, r.score());
            }
        }
        if (max == 0) {
            throw new ReportException("every throughput figure is zero");
        }
        int lo = (int) Math.floor(Math.log10(min));
        int hi = (int) Math.ceil(Math.log10(max));
        if (hi == lo) {
            hi++;
        }
        int width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH;
        int height = TOP + bars.size() * ROW + 40;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        s.append("<text x=\"8\" y=\"18\" font-size=\"14\" font-weight=\"bold\">Throughput per second (log scale; higher is better)</text>\n");
        List<String> labels = new ArrayList<>();
        for (Figures.Run run : runs) {
            labels.add(run.label());
        }
        int lx = 8;
        for (int i = 0; i < labels.size(); i++) {
            s.append("<rect x=\"").append(lx).append("\" y=\"26\" width=\"12\" height=\"12\" fill=\"").append(colour(i))
                    .append("\"/>\n<text x=\"").append(lx + 16).append("\" y=\"36\">").append(escape(labels.get(i)))
                    .append("</text>\n");
            lx += 30 + 8 * labels.get(i).length();
        }
        int plotBottom = TOP + bars.size() * ROW;
        for (int d = lo; d <= hi; d++) {
            double x = LABEL_WIDTH + (double) (d - lo) / (hi - lo) * PLOT_WIDTH;
            s.append("<line x1=\"").append(num(x)).append("\" y1=\"").append(TOP - 4).append("\" x2=\"").append(num(x))
                    .append("\" y2=\"").append(plotBottom).append("\" stroke=\"#cccccc\"/>\n");
            s.append("<text x=\"").append(num(x)).append("\" y=\"").append(plotBottom + 16)
                    .append("\" text-anchor=\"middle\">").append(escape(tick(d))).append("</text>\n");
        }
        int y = TOP;
        for (Result r : bars) {
            double v = Math.max(r.score(), Math.pow(10, lo));
            double w = (Math.log10(v) - lo) / (hi - lo) * PLOT_WIDTH;
            String label = r.name() + (r.params().isEmpty() ? "" : " [" + r.paramText() + "]");
            s.append("<text x=\"").append(LABEL_WIDTH - 6).append("\" y=\"").append(y + 14)
                    .append("\" text-anchor=\"end\">").append(escape(label)).append("</text>\n");
            s.append("<rect x=\"").append(LABEL_WIDTH).append("\" y=\"").append(y + 3).append("\" width=\"").append(num(w))
                    .append("\" height=\"").append(ROW - 6).append("\" fill=\"").append(colour(labels.indexOf(r.run())))
                    .append("\"/>\n");
            s.append("<text x=\"").append(num(LABEL_WIDTH + w + 4)).append("\" y=\"").append(y + 14).append("\">")
                    .append(escape(Figures.si(r.score()))).append("</text>\n");
            y += ROW;
        }
        s.append("<text x=\"").append(LABEL_WIDTH + PLOT_WIDTH / 2).append("\" y=\"").append(plotBottom + 34)
                .append("\" text-anchor=\"middle\">operations per second</text>\n");
        s.append("</svg>\n");
        return s.toString();
    }

    /** The label of the grid line at 10^d: 1, 10, 100, 1 k, 10 k, ... */
    static String tick(int d) {
        String[] prefixes = {"", " k", " M", " G", " T"};
        int p = Math.min(Math.max(d, 0) / 3, prefixes.length - 1);
        return (d < 0 ? "1e" + d : (long) Math.pow(10, d - 3 * p) + prefixes[p]);
    }

    private static String colour(int run) {
        return COLOURS[Math.max(run, 0) % COLOURS.length];
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String escape(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
