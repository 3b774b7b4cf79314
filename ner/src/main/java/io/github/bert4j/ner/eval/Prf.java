package io.github.bert4j.ner.eval;

/**
 * Precision, recall and F1 of one class from its counts.
 *
 * @param support number of gold items
 */
public record Prf(double precision, double recall, double f1, long support) {

    /**
     * From counts; 0/0 ratios take {@code zeroDivision} (sklearn's {@code zero_division}); F1 is
     * {@code 2 tp / (2 tp + fp + fn)} (equal to {@code 2PR/(P+R)} whenever that is defined).
     */
    static Prf of(long tp, long fp, long fn, double zeroDivision) {
        double p = tp + fp == 0 ? zeroDivision : (double) tp / (tp + fp);
        double r = tp + fn == 0 ? zeroDivision : (double) tp / (tp + fn);
        long d = 2 * tp + fp + fn;
        double f = d == 0 ? zeroDivision : 2.0 * tp / d;
        return new Prf(p, r, f, tp + fn);
    }
}
