package io.github.bert4j.ner.crf;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Linear-chain CRF algorithms in double precision on plain arrays (Tribuo style): the forward
 * algorithm (log-partition), the score of a given path, and Viterbi decoding. Used for decoding
 * and as the reference the SameDiff graph of {@link LinearChainCrf} is tested against. Marginals
 * and entity probabilities (forward-backward) are in {@link ForwardBackward}.
 *
 * <p>The score of a path {@code y} of length {@code n} over emissions {@code e[t][k]} is
 * {@code start[y0] + sum_t e[t][y_t] + sum_{t>0} trans[y_{t-1}][y_t] + end[y_{n-1}]}; the
 * log-partition is the log-sum-exp of that score over all {@code K^n} paths; the negative
 * log-likelihood is {@code logZ - score(gold)} (pytorch-crf returns its negation).
 *
 * <p>Masks follow pytorch-crf with {@code batch_first=True}: {@code mask[b][t]} is 1 for the
 * first {@code length_b} steps and 0 after; the first step must be on. Parameters may hold
 * {@code -inf} (see {@link CrfParameters#constrained}); every algorithm here handles it.
 */
public final class CrfMath {

    private CrfMath() {
    }

    /** {@code log(sum(exp(x)))}, stable; {@code -inf} if every entry is {@code -inf}. */
    public static double logSumExp(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (double v : x) {
            s += Math.exp(v - max);
        }
        return max + Math.log(s);
    }

    /** Log-partition of one sequence: emissions {@code [T][K]}, first {@code length} steps used. */
    public static double logPartition(double[][] emissions, int length, CrfParameters p) {
        checkLength(emissions, length, p);
        int k = p.numTags();
        double[] alpha = new double[k];
        for (int j = 0; j < k; j++) {
            alpha[j] = p.start()[j] + emissions[0][j];
        }
        double[] next = new double[k];
        double[] terms = new double[k];
        for (int t = 1; t < length; t++) {
            for (int j = 0; j < k; j++) {
                for (int i = 0; i < k; i++) {
                    terms[i] = alpha[i] + p.transitions()[i][j];
                }
                next[j] = logSumExp(terms) + emissions[t][j];
            }
            System.arraycopy(next, 0, alpha, 0, k);
        }
        for (int j = 0; j < k; j++) {
            alpha[j] += p.end()[j];
        }
        return logSumExp(alpha);
    }

    /** Score of the path {@code tags[0..length)}. */
    public static double score(double[][] emissions, int[] tags, int length, CrfParameters p) {
        checkLength(emissions, length, p);
        double s = p.start()[tags[0]] + emissions[0][tags[0]];
        for (int t = 1; t < length; t++) {
            s += p.transitions()[tags[t - 1]][tags[t]] + emissions[t][tags[t]];
        }
        return s + p.end()[tags[length - 1]];
    }

    /** {@code logZ - score(tags)} of one sequence. */
    public static double negativeLogLikelihood(double[][] emissions, int[] tags, int length, CrfParameters p) {
        return logPartition(emissions, length, p) - score(emissions, tags, length, p);
    }

    /**
     * The highest-scoring path of the first {@code length} steps. Ties go to the lowest tag index,
     * so the result is deterministic.
     */
    public static ViterbiResult viterbi(double[][] emissions, int length, CrfParameters p) {
        checkLength(emissions, length, p);
        int k = p.numTags();
        double[] delta = new double[k];
        double[] next = new double[k];
        int[][] back = new int[length][k];
        for (int j = 0; j < k; j++) {
            delta[j] = p.start()[j] + emissions[0][j];
        }
        for (int t = 1; t < length; t++) {
            for (int j = 0; j < k; j++) {
                double best = Double.NEGATIVE_INFINITY;
                int arg = 0;
                for (int i = 0; i < k; i++) {
                    double v = delta[i] + p.transitions()[i][j];
                    if (v > best) {
                        best = v;
                        arg = i;
                    }
                }
                next[j] = best + emissions[t][j];
                back[t][j] = arg;
            }
            System.arraycopy(next, 0, delta, 0, k);
        }
        double best = Double.NEGATIVE_INFINITY;
        int last = 0;
        for (int j = 0; j < k; j++) {
            double v = delta[j] + p.end()[j];
            if (v > best) {
                best = v;
                last = j;
            }
        }
        int[] path = new int[length];
        path[length - 1] = last;
        for (int t = length - 1; t > 0; t--) {
            path[t - 1] = back[t][path[t]];
        }
        return new ViterbiResult(best, path);
    }

    /**
     * Negative log-likelihood of one sequence and its exact gradient by the forward-backward
     * algorithm: {@code dNLL/de[t][j] = P(y_t = j) - [gold_t = j]}, {@code dNLL/dtrans[i][j] =
     * sum_t P(y_{t-1} = i, y_t = j) - #gold(i -> j)}, {@code dNLL/dstart[j] = P(y_0 = j) - [gold_0
     * = j]}, {@code dNLL/dend[j] = P(y_{n-1} = j) - [gold_{n-1} = j]}. Gradients are ADDED into
     * the given arrays (so a batch accumulates); {@code dEmissions} rows at and after {@code
     * length} are left untouched. Parameters must be finite (use penalised, not {@code -inf},
     * constraints).
     *
     * @return the negative log-likelihood
     */
    public static double nllAndGradient(double[][] emissions, int[] tags, int length, CrfParameters p,
            double[][] dEmissions, double[][] dTransitions, double[] dStart, double[] dEnd) {
        checkLength(emissions, length, p);
        int k = p.numTags();
        double[][] alpha = new double[length][k];
        double[][] beta = new double[length][k];
        double[] terms = new double[k];
        for (int j = 0; j < k; j++) {
            alpha[0][j] = p.start()[j] + emissions[0][j];
            beta[length - 1][j] = p.end()[j];
        }
        for (int t = 1; t < length; t++) {
            for (int j = 0; j < k; j++) {
                for (int i = 0; i < k; i++) {
                    terms[i] = alpha[t - 1][i] + p.transitions()[i][j];
                }
                alpha[t][j] = logSumExp(terms) + emissions[t][j];
            }
        }
        for (int t = length - 2; t >= 0; t--) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    terms[j] = p.transitions()[i][j] + emissions[t + 1][j] + beta[t + 1][j];
                }
                beta[t][i] = logSumExp(terms);
            }
        }
        for (int j = 0; j < k; j++) {
            terms[j] = alpha[length - 1][j] + p.end()[j];
        }
        double logZ = logSumExp(terms);
        for (int t = 0; t < length; t++) {
            for (int j = 0; j < k; j++) {
                double marginal = Math.exp(alpha[t][j] + beta[t][j] - logZ);
                dEmissions[t][j] += marginal;
                if (t == 0) {
                    dStart[j] += marginal;
                }
                if (t == length - 1) {
                    dEnd[j] += marginal;
                }
                if (t > 0) {
                    for (int i = 0; i < k; i++) {
                        dTransitions[i][j] += Math.exp(alpha[t - 1][i] + p.transitions()[i][j] + emissions[t][j]
                                + beta[t][j] - logZ);
                    }
                }
            }
            dEmissions[t][tags[t]] -= 1;
            if (t > 0) {
                dTransitions[tags[t - 1]][tags[t]] -= 1;
            }
        }
        dStart[tags[0]] -= 1;
        dEnd[tags[length - 1]] -= 1;
        return logZ - score(emissions, tags, length, p);
    }

    /**
     * Lengths of a contiguous prefix mask {@code [B, T]} (non-zero = on). Throws if a row's first
     * step is off or a row has an on step after an off one.
     */
    public static int[] lengths(INDArray mask) {
        if (mask.rank() != 2) {
            throw new IllegalArgumentException("mask must be [B, T], got " + java.util.Arrays.toString(mask.shape()));
        }
        double[] m = flatDoubles(mask);
        int rows = (int) mask.size(0);
        int steps = (int) mask.size(1);
        int[] lengths = new int[rows];
        for (int b = 0; b < rows; b++) {
            int o = b * steps;
            int n = 0;
            while (n < steps && m[o + n] != 0) {
                n++;
            }
            if (n == 0) {
                throw new IllegalArgumentException("mask of sequence " + b + " has its first time step off");
            }
            for (int t = n; t < steps; t++) {
                if (m[o + t] != 0) {
                    throw new IllegalArgumentException("mask of sequence " + b + " is not a contiguous prefix (step "
                            + t + " on after step " + n + " off)");
                }
            }
            lengths[b] = n;
        }
        return lengths;
    }

    /**
     * Batched masked Viterbi: emissions {@code [B, T, K]}, mask {@code [B, T]}; result {@code b}
     * has a path of the length of row {@code b}'s mask.
     */
    public static ViterbiResult[] viterbi(INDArray emissions, INDArray mask, CrfParameters p) {
        int[] lengths = lengths(mask);
        double[][][] e = toDouble3(emissions, lengths.length, p.numTags());
        ViterbiResult[] out = new ViterbiResult[lengths.length];
        for (int b = 0; b < out.length; b++) {
            out[b] = viterbi(e[b], lengths[b], p);
        }
        return out;
    }

    /**
     * Batched negative log-likelihood per sequence: emissions {@code [B, T, K]}, tags {@code [B,
     * T]} (integer-valued, any value at masked steps), mask {@code [B, T]}.
     */
    public static double[] negativeLogLikelihood(INDArray emissions, INDArray tags, INDArray mask, CrfParameters p) {
        int[] lengths = lengths(mask);
        double[][][] e = toDouble3(emissions, lengths.length, p.numTags());
        double[] flatTags = flatDoubles(tags);
        int steps = (int) tags.size(1);
        double[] out = new double[lengths.length];
        for (int b = 0; b < out.length; b++) {
            int[] y = new int[steps];
            for (int t = 0; t < steps; t++) {
                y[t] = (int) flatTags[b * steps + t];
            }
            out[b] = negativeLogLikelihood(e[b], y, lengths[b], p);
        }
        return out;
    }

    /**
     * The elements of {@code a} in C order, as doubles, read straight from its buffer when it is
     * contiguous; otherwise through a copy closed at once (no native arrays are left to the garbage
     * collector: these run for every batch a tagger decodes).
     */
    public static double[] flatDoubles(INDArray a) {
        if (a.ordering() == 'c' && !a.isView() && a.length() == a.data().length()) {
            return a.data().asDouble();
        }
        try (INDArray c = a.dup('c')) {
            return c.data().asDouble();
        }
    }

    static double[][][] toDouble3(INDArray emissions, int batch, int k) {
        if (emissions.rank() != 3 || emissions.size(0) != batch || emissions.size(2) != k) {
            throw new IllegalArgumentException("emissions must be [B=" + batch + ", T, K=" + k + "], got "
                    + java.util.Arrays.toString(emissions.shape()));
        }
        int t = (int) emissions.size(1);
        double[] flat = flatDoubles(emissions);
        double[][][] out = new double[batch][t][k];
        int o = 0;
        for (int b = 0; b < batch; b++) {
            for (int s = 0; s < t; s++) {
                System.arraycopy(flat, o, out[b][s], 0, k);
                o += k;
            }
        }
        return out;
    }

    private static void checkLength(double[][] emissions, int length, CrfParameters p) {
        if (length < 1 || length > emissions.length) {
            throw new IllegalArgumentException("length " + length + " outside [1, " + emissions.length + "]");
        }
        if (emissions[0].length != p.numTags()) {
            throw new IllegalArgumentException("emissions have " + emissions[0].length + " tags, parameters " + p.numTags());
        }
    }
}
