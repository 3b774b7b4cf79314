package io.github.bert4j.ner.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a {@link Reliability} as a PNG reliability diagram (XChart, headless, the style of the
 * run tracker's metric charts): observed precision against mean predicted score per non-empty bin,
 * with the diagonal of perfect calibration; the title gives N and the ECE.
 */
public final class ReliabilityPlot {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** The file name fine-tuning writes next to {@code eval.json}. */
    public static final String FILE = "reliability.png";

    private ReliabilityPlot() {
    }

    /** Writes {@code png} (parent directories created). */
    public static void write(Reliability r, Path png) {
        String title = String.format(Locale.ROOT, "Entity score reliability (%d entities, ECE %s)", r.entities(),
                Double.isNaN(r.expectedCalibrationError()) ? "n/a"
                        : String.format(Locale.ROOT, "%.3f", r.expectedCalibrationError()));
        XYChart chart = new XYChartBuilder().width(800).height(600).title(title)
                .xAxisTitle("predicted entity score (bin mean)").yAxisTitle("observed precision").build();
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setXAxisDecimalPattern("0.0").setYAxisDecimalPattern("0.0");
        XYSeries diagonal = chart.addSeries("perfect calibration", new double[] {0, 1}, new double[] {0, 1});
        diagonal.setMarker(SeriesMarkers.NONE);
        List<Reliability.Bin> bins = r.bins().stream().filter(b -> b.count() > 0).toList();
        if (!bins.isEmpty()) {
            double[] x = bins.stream().mapToDouble(Reliability.Bin::meanScore).toArray();
            double[] y = bins.stream().mapToDouble(Reliability.Bin::precision).toArray();
            chart.addSeries("model (" + r.bins().size() + " bins)", x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        try {
            Path parent = png.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (java.io.OutputStream out = Files.newOutputStream(png)) { // the exact name: no extension added
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write reliability plot " + png, e);
        }
    }
}
