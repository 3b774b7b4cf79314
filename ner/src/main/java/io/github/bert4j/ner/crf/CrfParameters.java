package io.github.bert4j.ner.crf;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The three CRF parameter blocks as plain double arrays, for the math in {@link CrfMath}.
 *
 * @param start {@code [K]} score of starting in tag j
 * @param transitions {@code [K][K]} score of moving from tag i (row) to tag j (column)
 * @param end {@code [K]} score of ending in tag i
 */
public record CrfParameters(double[] start, double[][] transitions, double[] end) {

    public CrfParameters {
        int k = start.length;
        if (end.length != k || transitions.length != k) {
            throw new IllegalArgumentException("CRF parameters disagree on K: start " + k + ", end " + end.length
                    + ", transitions " + transitions.length);
        }
        for (double[] row : transitions) {
            if (row.length != k) {
                throw new IllegalArgumentException("transitions must be " + k + " x " + k + ", got a row of " + row.length);
            }
        }
    }

    public int numTags() {
        return start.length;
    }

    /** Reads {@link LinearChainCrf#START}, {@link LinearChainCrf#TRANSITIONS}, {@link LinearChainCrf#END}. */
    public static CrfParameters from(Map<String, INDArray> params) {
        INDArray s = require(params, LinearChainCrf.START);
        INDArray t = require(params, LinearChainCrf.TRANSITIONS);
        INDArray e = require(params, LinearChainCrf.END);
        int k = (int) s.length();
        double[] flat = CrfMath.flatDoubles(t);
        if (flat.length != (long) k * k) {
            throw new IllegalArgumentException(LinearChainCrf.TRANSITIONS + " must be [" + k + ", " + k + "], got "
                    + java.util.Arrays.toString(t.shape()));
        }
        double[][] trans = new double[k][];
        for (int i = 0; i < k; i++) {
            trans[i] = java.util.Arrays.copyOfRange(flat, i * k, (i + 1) * k);
        }
        return new CrfParameters(CrfMath.flatDoubles(s), trans, CrfMath.flatDoubles(e));
    }

    /**
     * Every score times {@code factor} (> 0): with the emissions scaled alike, the CRF at
     * temperature {@code 1 / factor}. {@code -inf} stays {@code -inf}.
     */
    public CrfParameters scaled(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("scale factor must be positive and finite, got " + factor);
        }
        int k = numTags();
        double[][] t = new double[k][];
        for (int i = 0; i < k; i++) {
            t[i] = scaled(transitions[i], factor);
        }
        return new CrfParameters(scaled(start, factor), t, scaled(end, factor));
    }

    static double[] scaled(double[] v, double factor) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * factor;
        }
        return out;
    }

    /**
     * These parameters with forbidden moves set to {@code -inf} (exact constraints for decoding).
     */
    public CrfParameters constrained(TransitionConstraints c) {
        if (c == null) {
            return this;
        }
        if (c.numTags() != numTags()) {
            throw new IllegalArgumentException("constraints are for " + c.numTags() + " tags, parameters for " + numTags());
        }
        int k = numTags();
        double[] s = start.clone();
        double[] e = end.clone();
        double[][] t = new double[k][];
        for (int i = 0; i < k; i++) {
            t[i] = transitions[i].clone();
            if (!c.start()[i]) {
                s[i] = Double.NEGATIVE_INFINITY;
            }
            if (!c.end()[i]) {
                e[i] = Double.NEGATIVE_INFINITY;
            }
            for (int j = 0; j < k; j++) {
                if (!c.transitions()[i][j]) {
                    t[i][j] = Double.NEGATIVE_INFINITY;
                }
            }
        }
        return new CrfParameters(s, t, e);
    }

    private static INDArray require(Map<String, INDArray> params, String name) {
        INDArray a = params.get(name);
        if (a == null) {
            throw new IllegalArgumentException("missing CRF parameter '" + name + "' (have " + params.keySet() + ")");
        }
        return a;
    }
}
