package io.github.bert4j.ner.eval;

import java.util.function.DoubleUnaryOperator;

/**
 * Temperature scaling of entity scores (Guo et al., "On Calibration of Modern Neural Networks",
 * 2017): one number T that divides every CRF potential before the span probabilities are read,
 * chosen to minimise the log loss of the predicted entities' scores against whether they are
 * right, on held-out sentences. A CRF's most likely path does not depend on T, so tags, entities
 * and every F1 stay as they are; only the scores move, towards the precision they predict.
 *
 * <p>The search is a golden-section search over {@code ln T} in [{@value #MIN_TEMPERATURE},
 * {@value #MAX_TEMPERATURE}] (the log loss of scaled scores is unimodal in practice; the end points
 * are compared too, so a minimum at a bound is found).
 */
public final class TemperatureScaling {

    /** The smallest temperature searched. */
    public static final double MIN_TEMPERATURE = 0.05;
    /** The largest temperature searched. */
    public static final double MAX_TEMPERATURE = 20;

    private static final double TOLERANCE = 1e-4; // on ln T: T to 0.01%
    private static final double EPS = 1e-12;

    private TemperatureScaling() {}

    /**
     * The temperature in [{@value #MIN_TEMPERATURE}, {@value #MAX_TEMPERATURE}] that minimises
     * {@code loss}.
     *
     * @param loss the loss at a temperature, e.g. {@link #logLoss} of the scores read at it
     */
    public static double fit(DoubleUnaryOperator loss) {
        double inv = (Math.sqrt(5) - 1) / 2;
        double a = Math.log(MIN_TEMPERATURE);
        double b = Math.log(MAX_TEMPERATURE);
        double c = b - inv * (b - a);
        double d = a + inv * (b - a);
        double fc = loss.applyAsDouble(Math.exp(c));
        double fd = loss.applyAsDouble(Math.exp(d));
        while (b - a > TOLERANCE) {
            if (fc <= fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - inv * (b - a);
                fc = loss.applyAsDouble(Math.exp(c));
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + inv * (b - a);
                fd = loss.applyAsDouble(Math.exp(d));
            }
        }
        double best = fc <= fd ? c : d;
        double fBest = Math.min(fc, fd);
        for (double end : new double[] {Math.log(MIN_TEMPERATURE), Math.log(MAX_TEMPERATURE)}) {
            double f = loss.applyAsDouble(Math.exp(end));
            if (f < fBest) {
                fBest = f;
                best = end;
            }
        }
        return Math.exp(best);
    }

    /**
     * Mean binary log loss of scores against outcomes, scores clamped to [1e-12, 1 - 1e-12]; 0
     * when there are none.
     */
    public static double logLoss(double[] scores, boolean[] correct) {
        if (scores.length != correct.length) {
            throw new IllegalArgumentException(scores.length + " scores, " + correct.length + " outcomes");
        }
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            double p = Math.min(1 - EPS, Math.max(EPS, scores[i]));
            sum -= correct[i] ? Math.log(p) : Math.log1p(-p);
        }
        return scores.length == 0 ? 0 : sum / scores.length;
    }
}
