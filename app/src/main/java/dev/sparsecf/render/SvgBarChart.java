package dev.sparsecf.render;

import java.util.List;
import java.util.Locale;

/**
 * Horizontal grouped bar charts as plain SVG text (no library): panels stacked vertically, each a set of
 * labelled groups with one bar per series on a linear axis from zero, plus dashed reference lines.
 */
public final class SvgBarChart {

    /** One bar: its series (the colour), value (NaN draws no bar) and the text printed after it. */
    public record Bar(String series, double value, String text) {
    }

    /** Bars that share a label, drawn together. */
    public record Group(String label, List<Bar> bars) {
    }

    /** A dashed vertical line at {@code value}, labelled above the plot (a bound, or 1x for speed-ups). */
    public record Line(double value, String label) {
    }

    /** A chart panel with its own axis. */
    public record Panel(String title, String axisLabel, List<Group> groups, List<Line> lines) {
    }

    private static final int WIDTH = 820;
    private static final int BAR = 14;
    private static final int BAR_GAP = 2;
    private static final int GROUP_GAP = 8;
    /** A generous average glyph width of sans-serif at font-size 11, in px: labels must not run off the left. */
    static final double CHAR_WIDTH = 7;
    // Okabe-Ito colours: distinguishable with the common colour-vision deficiencies
    private static final String[] COLOURS = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
            "#F0E442", "#000000"};

    private SvgBarChart() {
    }

    /** The chart as a standalone SVG document; {@code series} fixes the legend order and the colours. */
    public static String render(String title, List<String> series, List<Panel> panels) {
        int longest = panels.stream().flatMap(p -> p.groups().stream()).mapToInt(g -> g.label().length())
                .max().orElse(0);
        int labelWidth = Math.clamp((int) (longest * CHAR_WIDTH) + 12, 100, 320);
        int x0 = labelWidth + 8;
        int x1 = WIDTH - 80;
        StringBuilder body = new StringBuilder();
        int y = 24;
        body.append(text(10, y, "start", "font-size=\"14\" font-weight=\"bold\"", title));
        y += 10;
        int lx = 10;
        for (int s = 0; s < series.size(); s++) {
            int w = 20 + (int) (series.get(s).length() * CHAR_WIDTH) + 14;
            if (lx + w > WIDTH - 10) {
                lx = 10;
                y += 16;
            }
            body.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
                    lx, y + 4, colour(s)));
            body.append(text(lx + 16, y + 14, "start", "", series.get(s)));
            lx += w;
        }
        y += 24;
        for (Panel p : panels) {
            y = panel(body, p, series, x0, x1, y) + 16;
        }
        return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                        + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n<title>%s</title>%n"
                        + "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n%s</svg>%n",
                WIDTH, y, WIDTH, y, escape(title), body);
    }

    /** Draws {@code p} from {@code top}; returns the y below it. */
    private static int panel(StringBuilder out, Panel p, List<String> series, int x0, int x1, int top) {
        int y = top;
        if (!p.title().isEmpty()) {
            y += 12;
            out.append(text(10, y, "start", "font-weight=\"bold\"", p.title()));
            y += 6;
        }
        double max = 0;
        for (Group g : p.groups()) {
            for (Bar b : g.bars()) {
                max = Double.isFinite(b.value()) ? Math.max(max, b.value()) : max;
            }
        }
        for (Line l : p.lines()) {
            max = Math.max(max, l.value());
        }
        double step = niceStep(max / 5);
        double axisMax = step * Math.max(1, Math.ceil(max / step));
        // reference-line labels sit above the plot area
        int plotTop = y + (p.lines().isEmpty() ? 4 : 16);
        y = plotTop;
        for (Group g : p.groups()) {
            int h = g.bars().size() * BAR + (g.bars().size() - 1) * BAR_GAP;
            out.append(text(x0 - 8, y + h / 2 + 4, "end", "", g.label()));
            for (Bar b : g.bars()) {
                int s = series.indexOf(b.series());
                if (Double.isFinite(b.value())) {
                    double w = b.value() / axisMax * (x1 - x0);
                    out.append(String.format(Locale.ROOT,
                            "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                                    + "<title>%s %s: %s</title></rect>%n",
                            x0, y, w, BAR, colour(s), escape(g.label()), escape(b.series()), escape(b.text())));
                    out.append(text((int) (x0 + w) + 4, y + BAR - 3, "start", "", b.text()));
                } else {
                    out.append(text(x0 + 4, y + BAR - 3, "start", "fill=\"#777777\"", b.text()));
                }
                y += BAR + BAR_GAP;
            }
            y += GROUP_GAP - BAR_GAP;
        }
        int axisY = y;
        out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333333\"/>%n",
                x0, plotTop - 2, x0, axisY));
        out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333333\"/>%n",
                x0, axisY, x1, axisY));
        for (int t = 0; t * step <= axisMax * (1 + 1e-9); t++) {
            double x = x0 + t * step / axisMax * (x1 - x0);
            out.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333333\"/>%n",
                    x, axisY, x, axisY + 4));
            out.append(text((int) Math.round(x), axisY + 15, "middle", "", tick(t * step, step)));
        }
        for (Line l : p.lines()) {
            double x = x0 + l.value() / axisMax * (x1 - x0);
            out.append(String.format(Locale.ROOT, "<line class=\"bound\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                    + "stroke=\"#D55E00\" stroke-dasharray=\"4 3\"/>%n", x, plotTop - 4, x, axisY));
            out.append(text((int) Math.round(x), plotTop - 6, "middle", "fill=\"#D55E00\"", l.label()));
        }
        y = axisY + 30;
        out.append(text((x0 + x1) / 2, y - 2, "middle", "", p.axisLabel()));
        return y;
    }

    /** A tick label with as many decimals as the step needs: 0, 0.5, 1 or 0, 20, 40. */
    public static String tick(double value, double step) {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw} (1 for a non-positive raw). */
    public static double niceStep(double raw) {
        if (!(raw > 0)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double n = raw / magnitude;
        return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * magnitude;
    }

    /** The colour of series number {@code series} (cycles through a colour-blind-safe palette). */
    static String colour(int series) {
        return COLOURS[Math.floorMod(series, COLOURS.length)];
    }

    /** A {@code <text>} element at (x, y) with {@code content} escaped; {@code attributes} may be empty. */
    static String text(int x, int y, String anchor, String attributes, String content) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\"%s>%s</text>%n", x, y, anchor,
                attributes.isEmpty() ? "" : " " + attributes, escape(content));
    }

    /** {@code s} with the five XML special characters escaped. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }
}
