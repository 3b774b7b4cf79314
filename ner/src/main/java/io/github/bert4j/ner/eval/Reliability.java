package io.github.bert4j.ner.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How well predicted entity scores are calibrated: the predicted entities binned by score, and per
 * bin the observed precision (the share of its entities that exactly match a gold entity: type,
 * start and end), as in a reliability diagram (DeGroot and Fienberg, 1983; Guo et al., "On
 * Calibration of Modern Neural Networks", 2017, with precision in place of accuracy).
 *
 * <p>Bins are equal-width over [0, 1]: bin {@code i} of {@code n} holds scores in {@code [i/n,
 * (i+1)/n)}, the last one also 1. The expected calibration error is {@code ECE = sum_b (count_b /
 * N) * |precision_b - meanScore_b|} over the non-empty bins, N the number of scored entities; NaN
 * when there are none. A well-calibrated model's entities scored 0.8 are right 80% of the time.
 *
 * @param bins the bins, lowest score first
 * @param entities N, the number of scored predicted entities
 * @param correct how many of them match a gold entity
 * @param expectedCalibrationError ECE in [0, 1], or NaN without entities
 */
public record Reliability(List<Bin> bins, long entities, long correct, double expectedCalibrationError) {

    /** The default number of bins. */
    public static final int BINS = 10;

    /**
     * One bin.
     *
     * @param lower lowest score of the bin (inclusive)
     * @param upper highest score (exclusive, except 1 for the last bin)
     * @param count predicted entities with a score in the bin
     * @param correct how many of them match a gold entity
     * @param meanScore their mean score, NaN for an empty bin
     * @param precision {@code correct / count}, NaN for an empty bin
     */
    public record Bin(double lower, double upper, long count, long correct, double meanScore, double precision) {}

    public Reliability {
        bins = List.copyOf(bins);
    }

    /** Accumulates (score, correct) pairs of predicted entities. Not thread-safe. */
    public static final class Builder {
        private final long[] count;
        private final long[] correct;
        private final double[] scoreSum;

        /** @param bins number of equal-width bins, >= 1 */
        public Builder(int bins) {
            if (bins < 1) {
                throw new IllegalArgumentException("need at least 1 bin, got " + bins);
            }
            count = new long[bins];
            correct = new long[bins];
            scoreSum = new double[bins];
        }

        /** Adds one predicted entity: its score in [0, 1] and whether it matches a gold entity. */
        public Builder add(double score, boolean matchesGold) {
            if (!(score >= 0 && score <= 1)) {
                throw new IllegalArgumentException("entity score must be in [0, 1], got " + score);
            }
            int b = Math.min(count.length - 1, (int) (score * count.length));
            count[b]++;
            correct[b] += matchesGold ? 1 : 0;
            scoreSum[b] += score;
            return this;
        }

        public Reliability build() {
            int n = count.length;
            long total = 0;
            long right = 0;
            for (int b = 0; b < n; b++) {
                total += count[b];
                right += correct[b];
            }
            List<Bin> bins = new ArrayList<>(n);
            double ece = 0;
            for (int b = 0; b < n; b++) {
                double mean = count[b] == 0 ? Double.NaN : scoreSum[b] / count[b];
                double precision = count[b] == 0 ? Double.NaN : (double) correct[b] / count[b];
                if (count[b] > 0) {
                    ece += (double) count[b] / total * Math.abs(precision - mean);
                }
                bins.add(new Bin((double) b / n, (double) (b + 1) / n, count[b], correct[b], mean, precision));
            }
            return new Reliability(bins, total, right, total == 0 ? Double.NaN : ece);
        }
    }

    /**
     * One JSON object: {@code {"entities":N,"correct":..,"ece":..,"bins":[{"lower":0.0,"upper":0.1,
     * "count":..,"correct":..,"mean_score":..,"precision":..},..]}} (NaN as {@code null}).
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\"entities\":").append(entities).append(",\"correct\":").append(correct)
                .append(",\"ece\":").append(num(expectedCalibrationError)).append(",\"bins\":[");
        for (int i = 0; i < bins.size(); i++) {
            Bin b = bins.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"lower\":").append(num(b.lower())).append(",\"upper\":")
                    .append(num(b.upper())).append(",\"count\":").append(b.count()).append(",\"correct\":")
                    .append(b.correct()).append(",\"mean_score\":").append(num(b.meanScore()))
                    .append(",\"precision\":").append(num(b.precision())).append('}');
        }
        return sb.append("]}").toString();
    }

    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
