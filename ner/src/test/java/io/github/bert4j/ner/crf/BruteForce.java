package io.github.bert4j.ner.crf;

/** Enumerates all K^n paths: the oracle for the CRF tests. */
final class BruteForce {

    private BruteForce() {
    }

    static double score(double[][] e, int[] y, int n, CrfParameters p) {
        double s = p.start()[y[0]] + p.end()[y[n - 1]];
        for (int t = 0; t < n; t++) {
            s += e[t][y[t]];
            if (t > 0) {
                s += p.transitions()[y[t - 1]][y[t]];
            }
        }
        return s;
    }

    /** log of the sum over all paths of exp(score), accumulated naively in a shifted space. */
    static double logPartition(double[][] e, int n, CrfParameters p) {
        int k = p.numTags();
        int total = (int) Math.pow(k, n);
        double[] scores = new double[total];
        int[] y = new int[n];
        for (int c = 0; c < total; c++) {
            decode(c, k, y);
            scores[c] = score(e, y, n, p);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            max = Math.max(max, s);
        }
        double sum = 0;
        for (double s : scores) {
            sum += Math.exp(s - max);
        }
        return max + Math.log(sum);
    }

    /** The best path by enumeration (first found on ties, i.e. lexicographically smallest). */
    static ViterbiResult argmax(double[][] e, int n, CrfParameters p) {
        int k = p.numTags();
        int total = (int) Math.pow(k, n);
        int[] y = new int[n];
        double best = Double.NEGATIVE_INFINITY;
        int[] bestPath = null;
        for (int c = 0; c < total; c++) {
            decode(c, k, y);
            double s = score(e, y, n, p);
            if (bestPath == null || s > best) {
                best = s;
                bestPath = y.clone();
            }
        }
        return new ViterbiResult(best, bestPath);
    }

    /** {@code P(y_t = k)} by summing exp(score - logZ) over all paths. */
    static double[][] marginals(double[][] e, int n, CrfParameters p) {
        int k = p.numTags();
        double logZ = logPartition(e, n, p);
        double[][] m = new double[n][k];
        int[] y = new int[n];
        for (int c = 0, total = (int) Math.pow(k, n); c < total; c++) {
            decode(c, k, y);
            double w = Math.exp(score(e, y, n, p) - logZ);
            for (int t = 0; t < n; t++) {
                m[t][y[t]] += w;
            }
        }
        return m;
    }

    /**
     * The probability that a path, read on {@code [lo, hi)}, repaired to IOB2 and cut into strict
     * IOB2 entities ({@code Iob.repair}, {@code Iob.spans}), has the entity {@code type} over
     * {@code [from, to)}: the sum over all paths with that entity, the entity found the way the
     * tagger finds entities.
     */
    static double entityProbability(double[][] e, int n, CrfParameters p, io.github.bert4j.ner.data.TagSet tags,
            String type, int from, int to, int lo, int hi) {
        int k = p.numTags();
        double logZ = logPartition(e, n, p);
        io.github.bert4j.ner.align.Iob.Span wanted = new io.github.bert4j.ner.align.Iob.Span(type, from - lo, to - lo);
        double sum = 0;
        int[] y = new int[n];
        for (int c = 0, total = (int) Math.pow(k, n); c < total; c++) {
            decode(c, k, y);
            String[] labels = new String[hi - lo];
            for (int t = lo; t < hi; t++) {
                labels[t - lo] = tags.label(y[t]);
            }
            io.github.bert4j.ner.align.Iob.repair(labels);
            if (io.github.bert4j.ner.align.Iob.spans(java.util.Arrays.asList(labels)).contains(wanted)) {
                sum += Math.exp(score(e, y, n, p) - logZ);
            }
        }
        return sum;
    }

    private static void decode(int code, int k, int[] y) {
        for (int t = y.length - 1; t >= 0; t--) {
            y[t] = code % k;
            code /= k;
        }
    }
}
