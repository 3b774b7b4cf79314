package io.github.bert4j.core.tracking;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Draws metric curves as PNG charts (XChart, headless), one chart per metric <em>family</em>: keys
 * {@code <split>_<name>} with split {@code train}, {@code valid}, {@code val}, {@code eval} or
 * {@code test} share the chart {@code <name>.png}, one series per split ({@code train_loss} and
 * {@code valid_loss} -> {@code loss.png}); any other key ({@code lr}) gets its own chart. The x axis
 * is the step; non-finite values are left out.
 */
public final class MetricPlots {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final String[] SPLITS = {"train", "valid", "val", "eval", "test"};

    private MetricPlots() {
    }

    /** One series of a chart. */
    public record Series(String name, String key) {
    }

    /** Families (file stem -> series) for the given metric keys, sorted by family name. */
    public static Map<String, List<Series>> families(Iterable<String> keys) {
        Map<String, List<Series>> out = new TreeMap<>();
        for (String key : keys) {
            String family = key;
            String series = key;
            for (String s : SPLITS) {
                if (key.startsWith(s + "_") && key.length() > s.length() + 1) {
                    family = key.substring(s.length() + 1);
                    series = s;
                    break;
                }
            }
            out.computeIfAbsent(family, f -> new ArrayList<>()).add(new Series(series, key));
        }
        return out;
    }

    /**
     * Writes {@code <dir>/<family>.png} for every family with at least one finite point; returns the
     * files written. Family names are made file-safe ({@code /} and other symbols become {@code _}).
     */
    public static List<Path> write(Map<String, List<MetricPoint>> metrics, Path dir) {
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, List<Series>> fam : families(metrics.keySet()).entrySet()) {
            XYChart chart = new XYChartBuilder().width(800).height(500).title(fam.getKey())
                    .xAxisTitle("step").yAxisTitle(fam.getKey()).build();
            chart.getStyler().setLegendVisible(fam.getValue().size() > 1);
            chart.getStyler().setYAxisDecimalPattern(decimalPattern(fam.getValue().stream()
                    .flatMap(s -> metrics.get(s.key()).stream()).mapToDouble(MetricPoint::value)
                    .filter(Double::isFinite).toArray()));
            int seriesCount = 0;
            for (Series s : fam.getValue()) {
                List<MetricPoint> pts = metrics.get(s.key()).stream().filter(p -> Double.isFinite(p.value())).toList();
                if (pts.isEmpty()) {
                    continue;
                }
                double[] x = new double[pts.size()];
                double[] y = new double[pts.size()];
                for (int i = 0; i < pts.size(); i++) {
                    x[i] = pts.get(i).step();
                    y[i] = pts.get(i).value();
                }
                XYSeries series = chart.addSeries(s.name(), x, y);
                series.setMarker(pts.size() <= 50 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
                seriesCount++;
            }
            if (seriesCount == 0) {
                continue;
            }
            Path file = dir.resolve(fileSafe(fam.getKey()) + ".png");
            try {
                BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write plot " + file, e);
            }
            written.add(file);
        }
        return written;
    }

    /**
     * A {@link java.text.DecimalFormat} pattern for the y-axis labels of these values: enough
     * decimals to tell the ticks of their range apart (two digits below the range's magnitude),
     * never the full double ({@code 0.599012879821209}); scientific for very small or large values.
     */
    static String decimalPattern(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (values.length == 0) {
            return "0.###";
        }
        double magnitude = Math.max(Math.abs(min), Math.abs(max));
        if (magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e7)) {
            return "0.###E0";
        }
        double span = max - min;
        if (span <= 0) {
            span = magnitude > 0 ? magnitude : 1;
        }
        int decimals = (int) Math.max(0, Math.min(8, Math.ceil(-Math.log10(span)) + 2));
        return decimals == 0 ? "#,##0" : "#,##0." + "#".repeat(decimals);
    }

    static String fileSafe(String name) {
        return name.replaceAll("[^\\p{L}\\p{N}_.\\-]", "_");
    }
}
