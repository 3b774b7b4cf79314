package io.github.bert4j.examples.results;

import io.github.bert4j.core.tracking.MetricPoint;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One chart of one metric from several runs (the {@code metrics.csv} every run writes into its
 * MLflow artifacts), e.g. NER entity F1 from the pretrained encoder against random initialisation:
 * <pre>{@code ComparisonPlot out.png valid_entity_macro_f1 pretrained=mlruns/2/<id>/artifacts/metrics.csv random=...}</pre>
 */
public final class ComparisonPlot {
    private ComparisonPlot() {}

    /** The points of {@code key} in a run's {@code metrics.csv} ({@code step,timestamp,key,value}), in file order. */
    public static List<MetricPoint> read(Path csv, String key) {
        List<MetricPoint> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)) {
                if (!rec.isConsistent() || !rec.isSet("key") || !rec.isSet("value") || !rec.isSet("step")) {
                    throw new IllegalArgumentException(csv + ", line " + (rec.getRecordNumber() + 1)
                            + ": expected step,timestamp,key,value");
                }
                if (!rec.get("key").equals(key)) {
                    continue;
                }
                try {
                    out.add(new MetricPoint(Long.parseLong(rec.get("step")), Long.parseLong(rec.get("timestamp")),
                            Double.parseDouble(rec.get("value"))));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(csv + ", line " + (rec.getRecordNumber() + 1)
                            + ": expected numbers in step, timestamp and value, got " + rec.toList());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
        return out;
    }

    /** Writes {@code png} with one line per run; runs without the metric are an error. */
    public static void write(Path png, String key, Map<String, Path> runs) {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(key).xAxisTitle("step").yAxisTitle(key).build();
        for (Map.Entry<String, Path> run : runs.entrySet()) {
            List<MetricPoint> pts = read(run.getValue(), key).stream().filter(p -> Double.isFinite(p.value())).toList();
            if (pts.isEmpty()) {
                throw new IllegalArgumentException(run.getValue() + " has no finite values of " + key);
            }
            double[] x = pts.stream().mapToDouble(MetricPoint::step).toArray();
            double[] y = pts.stream().mapToDouble(MetricPoint::value).toArray();
            chart.addSeries(run.getKey(), x, y).setMarker(pts.size() <= 50 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
        try {
            if (png.toAbsolutePath().getParent() != null) {
                Files.createDirectories(png.toAbsolutePath().getParent());
            }
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }

    /** {@code ComparisonPlot OUT.png METRIC LABEL=metrics.csv...}. */
    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: ComparisonPlot OUT.png METRIC LABEL=metrics.csv [LABEL=metrics.csv ...]");
            System.exit(2);
        }
        Map<String, Path> runs = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected LABEL=path/to/metrics.csv, got " + args[i]);
            }
            runs.put(args[i].substring(0, eq), Path.of(args[i].substring(eq + 1)));
        }
        write(Path.of(args[0]), args[1], runs);
    }
}
