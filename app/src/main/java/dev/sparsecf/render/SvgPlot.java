package dev.sparsecf.render;

import static dev.sparsecf.render.SvgBarChart.CHAR_WIDTH;
import static dev.sparsecf.render.SvgBarChart.colour;
import static dev.sparsecf.render.SvgBarChart.escape;
import static dev.sparsecf.render.SvgBarChart.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Line and scatter charts as plain SVG text (no library), in the style of {@link SvgBarChart}: one plot area with a
 * linear, log or categorical x axis and a linear y axis; series of markers (with optional error bars), lines or
 * both; dashed horizontal reference lines. Each series is one {@code <g class="series">} whose markers are
 * {@code <circle>} elements, so the output can be checked by parsing it.
 */
public final class SvgPlot {

    /** How an axis maps values to positions. */
    enum Scale { LINEAR, LOG }

    /** A labelled tick at a value of the axis. */
    record Tick(double at, String label) {
    }

    /** An axis: its label, scale, fixed ticks (empty: chosen from the data) and fixed range (NaN: from the data). */
    public record Axis(String label, Scale scale, List<Tick> ticks, double min, double max) {

        public static Axis linear(String label) {
            return new Axis(label, Scale.LINEAR, List.of(), Double.NaN, Double.NaN);
        }

        /** A linear axis over the fixed range [min, max] (a training budget's epochs, say), ticked as a fitted one. */
        public static Axis linear(String label, double min, double max) {
            return new Axis(label, Scale.LINEAR, List.of(), min, max);
        }

        /** A log10 axis with ticks at the powers of ten; values must be positive. */
        public static Axis log(String label) {
            return new Axis(label, Scale.LOG, List.of(), Double.NaN, Double.NaN);
        }

        /** Evenly spaced categories: category {@code i} is at x = i. */
        public static Axis categories(String label, List<String> names) {
            List<Tick> ticks = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                ticks.add(new Tick(i, names.get(i)));
            }
            return new Axis(label, Scale.LINEAR, ticks, -0.5, Math.max(0.5, names.size() - 0.5));
        }
    }

    /** A data point; {@code error} is the half-length of its error bar (NaN: none). */
    public record Point(double x, double y, double error) {

        public Point(double x, double y) {
            this(x, y, Double.NaN);
        }
    }

    /** What a series draws: small translucent markers (a scatter), a line, or markers joined by a line. */
    public enum Style { MARKERS, LINE, MARKERS_AND_LINE }

    /** A series: legend name, colour number (series may share one), style and points (drawn in this order). */
    public record Series(String name, int colour, Style style, List<Point> points) {
    }

    /** A dashed horizontal line at {@code y}, labelled at its right end. */
    public record Reference(double y, String label) {
    }

    private static final int WIDTH = 760;
    private static final int PLOT_HEIGHT = 340;
    private static final int LEFT = 78;
    private static final int RIGHT = 24;
    private static final String REFERENCE_COLOUR = "#555555";

    private SvgPlot() {
    }

    /** The chart as a standalone SVG document; points with a NaN coordinate (or x <= 0 on a log axis) are left out. */
    public static String render(String title, Axis x, Axis y, List<Series> series, List<Reference> references) {
        StringBuilder body = new StringBuilder();
        int top = 24;
        body.append(text(10, top, "start", "font-size=\"14\" font-weight=\"bold\"", title));
        top += 10;
        int lx = 10;
        for (Series s : series) {
            int w = 28 + (int) (s.name().length() * CHAR_WIDTH) + 14;
            if (lx + w > WIDTH - 10) {
                lx = 10;
                top += 16;
            }
            String c = colour(s.colour());
            body.append(s.style() == Style.LINE
                    ? String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                            + "stroke-width=\"2\"/>%n", lx, top + 10, lx + 20, top + 10, c)
                    : String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\"/>%n",
                            lx + 10, top + 10, c));
            body.append(text(lx + 26, top + 14, "start", "", s.name()));
            lx += w;
        }
        int y0 = top + 32;
        int y1 = y0 + PLOT_HEIGHT;
        Frame fx = Frame.of(x, xs(series), LEFT, WIDTH - RIGHT, false);
        List<Double> ys = new ArrayList<>();
        for (Series s : series) {
            for (Point p : s.points()) {
                if (fx.accepts(p.x())) {
                    double e = Double.isNaN(p.error()) ? 0 : p.error();
                    ys.add(p.y() - e);
                    ys.add(p.y() + e);
                }
            }
        }
        references.forEach(r -> ys.add(r.y()));
        Frame fy = Frame.of(y, ys, y1, y0, true);
        axes(body, fx, fy, x, y, y0, y1);
        for (Reference r : references) {
            double py = fy.position(r.y());
            body.append(String.format(Locale.ROOT, "<line class=\"reference\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" "
                    + "y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"5 4\"/>%n", LEFT, py, WIDTH - RIGHT, py,
                    REFERENCE_COLOUR));
            body.append(text(WIDTH - RIGHT - 4, (int) Math.round(py) - 4, "end", "fill=\"" + REFERENCE_COLOUR + "\"",
                    r.label()));
        }
        for (Series s : series) {
            series(body, s, fx, fy);
        }
        int height = y1 + 48;
        return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                        + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n<title>%s</title>%n"
                        + "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n%s</svg>%n",
                WIDTH, height, WIDTH, height, escape(title), body);
    }

    private static List<Double> xs(List<Series> series) {
        List<Double> xs = new ArrayList<>();
        series.forEach(s -> s.points().forEach(p -> xs.add(p.x())));
        return xs;
    }

    private static void series(StringBuilder out, Series s, Frame fx, Frame fy) {
        String c = colour(s.colour());
        out.append("<g class=\"series\" data-name=\"").append(escape(s.name())).append("\">\n");
        List<Point> shown = s.points().stream().filter(p -> fx.accepts(p.x()) && Double.isFinite(p.y())).toList();
        if (s.style() != Style.MARKERS && shown.size() > 1) {
            StringBuilder pts = new StringBuilder();
            for (Point p : shown) {
                pts.append(pts.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%.1f,%.1f",
                        fx.position(p.x()), fy.position(p.y())));
            }
            out.append(String.format(Locale.ROOT, "<polyline class=\"line\" points=\"%s\" fill=\"none\" stroke=\"%s\" "
                    + "stroke-width=\"2\"/>%n", pts, c));
        }
        for (Point p : shown) {
            double px = fx.position(p.x());
            double py = fy.position(p.y());
            if (Double.isFinite(p.error()) && p.error() > 0) {
                double lo = fy.position(p.y() - p.error());
                double hi = fy.position(p.y() + p.error());
                out.append(String.format(Locale.ROOT, "<path class=\"error\" d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f "
                        + "%.1fH%.1f\" stroke=\"%s\"/>%n", px, lo, hi, px - 4, lo, px + 4, px - 4, hi, px + 4, c));
            }
            if (s.style() == Style.MARKERS) {
                // scatters can hold thousands of points: small, translucent, no tooltip
                out.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"%s\" "
                        + "fill-opacity=\"0.35\"/>%n", px, py, c));
            } else if (s.style() == Style.MARKERS_AND_LINE) {
                String tip = Double.isFinite(p.error())
                        ? String.format(Locale.ROOT, "%s: %.4g ± %.2g", s.name(), p.y(), p.error())
                        : String.format(Locale.ROOT, "%s: %.4g", s.name(), p.y());
                out.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\">"
                        + "<title>%s</title></circle>%n", px, py, c, escape(tip)));
            }
        }
        out.append("</g>\n");
    }

    private static void axes(StringBuilder out, Frame fx, Frame fy, Axis x, Axis y, int y0, int y1) {
        for (Tick t : fy.ticks()) {
            double py = fy.position(t.at());
            out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>%n",
                    LEFT, py, WIDTH - RIGHT, py));
            out.append(text(LEFT - 6, (int) Math.round(py) + 4, "end", "", t.label()));
        }
        for (Tick t : fx.ticks()) {
            double px = fx.position(t.at());
            out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333333\"/>%n",
                    px, y1, px, y1 + 4));
            out.append(text((int) Math.round(px), y1 + 16, "middle", "", t.label()));
        }
        out.append(String.format(Locale.ROOT, "<path d=\"M%d %dV%dH%d\" fill=\"none\" stroke=\"#333333\"/>%n",
                LEFT, y0, y1, WIDTH - RIGHT));
        out.append(text((LEFT + WIDTH - RIGHT) / 2, y1 + 36, "middle", "", x.label()));
        int ly = (y0 + y1) / 2;
        out.append(text(16, ly, "middle", String.format(Locale.ROOT, "transform=\"rotate(-90 16 %d)\"", ly), y.label()));
    }

    /** An axis fitted to its data: the value range, the pixel range it maps to, and its ticks. */
    private record Frame(Scale scale, double min, double max, double from, double to, List<Tick> ticks) {

        static Frame of(Axis axis, List<Double> values, double from, double to, boolean vertical) {
            boolean log = axis.scale() == Scale.LOG;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                if (Double.isFinite(v) && (!log || v > 0)) {
                    double w = log ? Math.log10(v) : v;
                    lo = Math.min(lo, w);
                    hi = Math.max(hi, w);
                }
            }
            if (lo > hi) { // no data: an arbitrary unit range
                lo = 0;
                hi = 1;
            }
            if (log) {
                lo = Math.floor(lo);
                hi = Math.max(lo + 1, Math.ceil(hi));
                List<Tick> ticks = new ArrayList<>();
                for (int e = (int) lo; e <= hi; e++) {
                    ticks.add(new Tick(Math.pow(10, e), SvgBarChart.tick(Math.pow(10, e), Math.pow(10, e))));
                }
                return new Frame(Scale.LOG, lo, hi, from, to, axis.ticks().isEmpty() ? ticks : axis.ticks());
            }
            int tickCount = vertical ? 6 : 8;
            if (!Double.isNaN(axis.min()) && !Double.isNaN(axis.max())) {
                double step = SvgBarChart.niceStep((axis.max() - axis.min()) / tickCount);
                return new Frame(Scale.LINEAR, axis.min(), axis.max(), from, to, axis.ticks().isEmpty()
                        ? ticks(Math.ceil(axis.min() / step - 1e-9) * step, axis.max(), step) : axis.ticks());
            }
            double pad = hi > lo ? (hi - lo) * 0.05 : Math.max(Math.abs(hi) * 0.1, 1e-3);
            // a padded range of non-negative values (rates, KL) should not dip below zero
            double padLo = lo >= 0 && lo - pad < 0 ? 0 : lo - pad;
            double step = SvgBarChart.niceStep((hi + pad - padLo) / tickCount);
            double min = Math.floor(padLo / step) * step;
            double max = Math.ceil((hi + pad) / step) * step;
            return new Frame(Scale.LINEAR, min, max, from, to, axis.ticks().isEmpty() ? ticks(min, max, step)
                    : axis.ticks());
        }

        /** Ticks every {@code step} from {@code first} up to {@code max}. */
        private static List<Tick> ticks(double first, double max, double step) {
            List<Tick> ticks = new ArrayList<>();
            for (int t = 0; first + t * step <= max + Math.abs(max) * 1e-9 + 1e-12; t++) {
                double v = first + t * step;
                ticks.add(new Tick(v, SvgBarChart.tick(Math.abs(v) < step * 1e-6 ? 0 : v, step)));
            }
            return ticks;
        }

        boolean accepts(double v) {
            return Double.isFinite(v) && (scale == Scale.LINEAR || v > 0);
        }

        /** The pixel coordinate of value {@code v}. */
        double position(double v) {
            double w = scale == Scale.LOG ? Math.log10(v) : v;
            return from + (w - min) / (max - min) * (to - from);
        }
    }
}
