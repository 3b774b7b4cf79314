package io.github.bert4j.bert.classification;

import java.awt.Color;
import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/**
 * PNG figures of a classification run (XChart, headless, the style of the run tracker's metric
 * charts): the confusion matrix as a heat map (rows: gold class with its support, columns:
 * predicted class, cells: document counts) and the class distribution of the splits as grouped
 * bars (share of each split's documents, so splits of different sizes compare).
 *
 * <p>Labels are drawn in a font that can display all of them ({@link #fontFor}: a Korean font
 * such as Nanum or Noto CJK if the machine has one). Where no installed font can, the figures name
 * the classes by id ({@code #0}, {@code #1}, ...; the report's {@code labels} list maps them) and
 * say so in the title, rather than drawing empty boxes.
 */
public final class ClassificationPlots {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Font families tried first, in order (common Hangul fonts of Linux, macOS and Windows). */
    static final List<String> PREFERRED_FONTS = List.of("NanumGothic", "Nanum Gothic", "Noto Sans CJK KR",
            "Noto Sans KR", "Source Han Sans KR", "UnDotum", "Baekmuk Gulim", "Apple SD Gothic Neo", "Malgun Gothic",
            "Dialog", "SansSerif");

    private ClassificationPlots() {
    }

    /**
     * A font family that displays every character of {@code texts}: the first of {@link
     * #PREFERRED_FONTS} installed that does, else any installed family that does, else empty.
     */
    public static Optional<String> fontFor(Collection<String> texts) {
        String all = String.join("", texts);
        Set<String> installed = new LinkedHashSet<>(
                Arrays.asList(GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames(Locale.ROOT)));
        List<String> candidates = new ArrayList<>();
        for (String f : PREFERRED_FONTS) {
            if (installed.contains(f) || f.equals("Dialog") || f.equals("SansSerif")) candidates.add(f);
        }
        candidates.addAll(installed);
        for (String family : candidates) {
            if (new Font(family, Font.PLAIN, 12).canDisplayUpTo(all) == -1) {
                return Optional.of(family);
            }
        }
        return Optional.empty();
    }

    /** The names drawn for {@code labels}: themselves, or {@code #id} when no font displays them. */
    private record Names(List<String> names, String family, String note) {
        static Names of(List<String> labels) {
            Optional<String> family = fontFor(labels);
            if (family.isPresent()) return new Names(labels, family.get(), "");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < labels.size(); i++) ids.add("#" + i);
            return new Names(ids, Font.SANS_SERIF, " (no Hangul font: class ids, see report.json)");
        }

        void apply(Styler s) {
            s.setChartTitleFont(new Font(family, Font.BOLD, 15));
            s.setLegendFont(new Font(family, Font.PLAIN, 12));
            if (s instanceof AxesChartStyler a) {
                a.setAxisTitleFont(new Font(family, Font.PLAIN, 13));
                a.setAxisTickLabelsFont(new Font(family, Font.PLAIN, 12));
            }
        }
    }

    /** Writes the confusion matrix of {@code report} as a heat map to {@code png}. */
    public static void confusionMatrix(ClassificationReport report, String title, Path png) {
        List<String> labels = report.labels();
        Names names = Names.of(labels);
        int c = labels.size();
        List<String> x = new ArrayList<>(names.names());
        List<String> y = new ArrayList<>();
        List<Number[]> heat = new ArrayList<>();
        int[][] m = report.confusion();
        int max = 1;
        // first class at the top: y index 0 is drawn at the bottom
        for (int row = 0; row < c; row++) {
            int g = c - 1 - row;
            y.add(names.names().get(g) + " (" + report.perClass().get(g).support() + ")");
            for (int p = 0; p < c; p++) {
                heat.add(new Number[] {p, row, m[g][p]});
                max = Math.max(max, m[g][p]);
            }
        }
        int side = Math.max(700, 160 + 46 * c);
        HeatMapChart chart = new HeatMapChartBuilder().width(side + 200).height(side)
                .title(String.format(Locale.ROOT, "%s: accuracy %.3f, macro F1 %.3f (%d docs)%s", title,
                        report.accuracy(), report.macroF1(), report.examples(), names.note()))
                .xAxisTitle("predicted class").yAxisTitle("gold class (documents)").build();
        names.apply(chart.getStyler());
        chart.getStyler().setShowValue(true).setValueFont(new Font(names.family(), Font.PLAIN, 11))
                .setMin(0).setMax(max).setRangeColors(new Color[] {Color.WHITE, new Color(0x9ecae1), new Color(0x08306b)})
                .setHeatMapValueDecimalPattern("0");
        chart.getStyler().setLegendVisible(true);
        chart.getStyler().setXAxisLabelRotation(60);
        chart.addSeries("documents", x, y, heat);
        write(chart, png);
    }

    /**
     * Writes the share of documents per class of each split (e.g. {@code train}, {@code valid},
     * {@code test} → label → count, labels in {@code labels} order) as grouped bars to {@code png}.
     */
    public static void distribution(List<String> labels, Map<String, Map<String, Integer>> splits, String title, Path png) {
        Names names = Names.of(labels);
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(900, 70 * labels.size() + 200)).height(600)
                .title(title + names.note()).xAxisTitle("class").yAxisTitle("share of the split's documents (%)").build();
        names.apply(chart.getStyler());
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setAvailableSpaceFill(0.8);
        for (Map.Entry<String, Map<String, Integer>> split : splits.entrySet()) {
            int total = split.getValue().values().stream().mapToInt(Integer::intValue).sum();
            List<Double> share = new ArrayList<>();
            for (String l : labels) {
                share.add(total == 0 ? 0.0 : 100.0 * split.getValue().getOrDefault(l, 0) / total);
            }
            chart.addSeries(split.getKey() + " (" + total + ")", names.names(), share);
        }
        write(chart, png);
    }

    private static void write(Chart<?, ?> chart, Path png) {
        try {
            Path parent = png.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream out = Files.newOutputStream(png)) { // the exact name: no extension added
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + png, e);
        }
    }
}
