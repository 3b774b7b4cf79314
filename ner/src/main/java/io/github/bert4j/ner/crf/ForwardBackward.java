package io.github.bert4j.ner.crf;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward-backward algorithm on one sequence, in log space and double precision: the
 * posterior tag marginals {@code P(y_t = k | x)} and the exact probability of an entity span under
 * the CRF (Lafferty et al., 2001; Sutton and McCallum, "An Introduction to Conditional Random
 * Fields", 2012, section 4.1).
 *
 * <p>With the path score of {@link CrfMath} over the first {@code n} steps,
 * <ul>
 *   <li>{@code alpha[t][j] = log sum over y_0..y_t with y_t = j of exp(start[y_0] + sum_{s<=t}
 *       e[s][y_s] + sum_{0<s<=t} trans[y_{s-1}][y_s])} (emission of step t included);</li>
 *   <li>{@code beta[t][i] = log sum over y_{t+1}..y_{n-1} of exp(sum_{s>t} (trans[y_{s-1}][y_s] +
 *       e[s][y_s]) + end[y_{n-1}])} given {@code y_t = i} ({@code beta[n-1][i] = end[i]});</li>
 *   <li>{@code logZ = logsumexp_j(alpha[n-1][j] + end[j])} and {@code P(y_t = k) = exp(alpha[t][k]
 *       + beta[t][k] - logZ)}.</li>
 * </ul>
 * Every sum is a max-shifted log-sum-exp ({@link CrfMath#logSumExp}); parameters may hold {@code
 * -inf} (the exact constraints of {@link CrfParameters#constrained}, as Viterbi decodes with), and
 * paths through a forbidden move then have probability exactly 0.
 *
 * <p>Immutable; keeps a reference to the emission rows it was built from (do not change them).
 */
public final class ForwardBackward {

    private final double[][] emissions;
    private final CrfParameters p;
    private final int length;
    private final double[][] alpha;
    private final double[][] beta;
    private final double logZ;

    private ForwardBackward(double[][] emissions, int length, CrfParameters p) {
        this.emissions = emissions;
        this.p = p;
        this.length = length;
        int k = p.numTags();
        alpha = new double[length][k];
        beta = new double[length][k];
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
                alpha[t][j] = CrfMath.logSumExp(terms) + emissions[t][j];
            }
        }
        for (int t = length - 2; t >= 0; t--) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    terms[j] = p.transitions()[i][j] + emissions[t + 1][j] + beta[t + 1][j];
                }
                beta[t][i] = CrfMath.logSumExp(terms);
            }
        }
        for (int j = 0; j < k; j++) {
            terms[j] = alpha[length - 1][j] + p.end()[j];
        }
        logZ = CrfMath.logSumExp(terms);
        if (logZ == Double.NEGATIVE_INFINITY || Double.isNaN(logZ)) {
            throw new IllegalArgumentException("no tag path of length " + length + " has a finite score (logZ = " + logZ
                    + "): the constraints forbid every path or the scores are not numbers");
        }
    }

    /**
     * Forward-backward over the first {@code length} rows of {@code emissions} ({@code [T][K]}, T
     * >= length; later rows, e.g. padding, are never read).
     */
    public static ForwardBackward of(double[][] emissions, int length, CrfParameters p) {
        if (length < 1 || length > emissions.length) {
            throw new IllegalArgumentException("length " + length + " outside [1, " + emissions.length + "]");
        }
        for (int t = 0; t < length; t++) {
            if (emissions[t].length != p.numTags()) {
                throw new IllegalArgumentException("emissions row " + t + " has " + emissions[t].length
                        + " tags, parameters " + p.numTags());
            }
        }
        return new ForwardBackward(emissions, length, p);
    }

    /**
     * Forward-backward of the CRF at {@code temperature} T: every emission and parameter divided
     * by T before the sums (temperature scaling, Guo et al., "On Calibration of Modern Neural
     * Networks", 2017, applied to all potentials of the chain). T > 1 flattens the marginals and
     * span probabilities, T < 1 sharpens them; the most likely path (Viterbi) is the same for
     * every T. T = 1 is {@link #of(double[][], int, CrfParameters)}, bit for bit.
     */
    public static ForwardBackward of(double[][] emissions, int length, CrfParameters p, double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite, got " + temperature);
        }
        if (temperature == 1.0) {
            return of(emissions, length, p);
        }
        if (length < 1 || length > emissions.length) {
            throw new IllegalArgumentException("length " + length + " outside [1, " + emissions.length + "]");
        }
        double factor = 1.0 / temperature;
        double[][] e = new double[length][];
        for (int t = 0; t < length; t++) {
            e[t] = CrfParameters.scaled(emissions[t], factor);
        }
        return of(e, length, p.scaled(factor));
    }

    /**
     * Batched: emissions {@code [B, T, K]}, mask {@code [B, T]} (contiguous prefix, as {@link
     * CrfMath#lengths}); result {@code b} covers the unmasked steps of row {@code b}.
     */
    public static ForwardBackward[] of(INDArray emissions, INDArray mask, CrfParameters p) {
        int[] lengths = CrfMath.lengths(mask);
        double[][][] e = CrfMath.toDouble3(emissions, lengths.length, p.numTags());
        ForwardBackward[] out = new ForwardBackward[lengths.length];
        for (int b = 0; b < out.length; b++) {
            out[b] = new ForwardBackward(e[b], lengths[b], p);
        }
        return out;
    }

    /** The number of steps n. */
    public int length() {
        return length;
    }

    /** {@code log Z}, the log-partition (equal to {@link CrfMath#logPartition}). */
    public double logPartition() {
        return logZ;
    }

    /** {@code P(y_t = k | x)}, {@code [n][K]}; each row sums to 1. */
    public double[][] marginals() {
        int k = p.numTags();
        double[][] m = new double[length][k];
        for (int t = 0; t < length; t++) {
            for (int j = 0; j < k; j++) {
                m[t][j] = Math.exp(alpha[t][j] + beta[t][j] - logZ);
            }
        }
        return m;
    }

    /**
     * {@code log P(y_{from..from+m-1} = tags, y_{from-1} in before, y_{from+m} in after | x)}, m =
     * {@code tags.length} >= 1. {@code before[i]} / {@code after[j]} say which tags the neighbouring
     * steps may take; null means any, and a condition on a step outside the sequence ({@code from =
     * 0}, {@code from + m = n}) is dropped. {@code -inf} for an impossible event.
     */
    public double logProbability(int from, int[] tags, boolean[] before, boolean[] after) {
        int m = tags.length;
        if (m < 1 || from < 0 || from + m > length) {
            throw new IllegalArgumentException("segment [" + from + ", " + (from + m) + ") outside [0, " + length + ")");
        }
        int k = p.numTags();
        for (int tag : tags) {
            if (tag < 0 || tag >= k) {
                throw new IllegalArgumentException("tag " + tag + " outside [0, " + k + ")");
            }
        }
        checkSet(before, k, "before");
        checkSet(after, k, "after");
        double s;
        if (from == 0 || before == null) {
            s = alpha[from][tags[0]];
        } else {
            double[] terms = new double[k];
            for (int i = 0; i < k; i++) {
                terms[i] = before[i] ? alpha[from - 1][i] + p.transitions()[i][tags[0]] : Double.NEGATIVE_INFINITY;
            }
            s = CrfMath.logSumExp(terms) + emissions[from][tags[0]];
        }
        for (int t = 1; t < m; t++) {
            s += p.transitions()[tags[t - 1]][tags[t]] + emissions[from + t][tags[t]];
        }
        int last = tags[m - 1];
        int to = from + m;
        if (to == length || after == null) {
            s += beta[to - 1][last];
        } else {
            double[] terms = new double[k];
            for (int j = 0; j < k; j++) {
                terms[j] = after[j] ? p.transitions()[last][j] + emissions[to][j] + beta[to][j] : Double.NEGATIVE_INFINITY;
            }
            s += CrfMath.logSumExp(terms);
        }
        double lp = s - logZ;
        return Double.isNaN(lp) ? Double.NEGATIVE_INFINITY : Math.min(0, lp);
    }

    /** {@link #entityProbability(int, int, int, int, int, int)} reading the whole sequence. */
    public double entityProbability(int from, int to, int begin, int inside) {
        return entityProbability(from, to, begin, inside, 0, length);
    }

    /**
     * The probability that a tag path drawn from the CRF, read on the steps {@code [lo, hi)} and
     * repaired to IOB2 ({@code Iob.repair}: an {@code I-T} that continues no {@code T} becomes
     * {@code B-T}), has an entity spanning exactly the steps {@code [from, to)}, where {@code begin}
     * and {@code inside} are the indices of {@code B-T} and {@code I-T}. That is the sum of
     * <ul>
     *   <li>{@code P(y_from = B-T, y_{from+1..to-1} = I-T, y_to != I-T)} and</li>
     *   <li>{@code P(y_{from-1} not in {B-T, I-T}, y_from = I-T, y_{from+1..to-1} = I-T, y_to !=
     *       I-T)} (the {@code I-T} the repair turns into {@code B-T}),</li>
     * </ul>
     * where a condition on {@code y_{lo-1}} or {@code y_hi} is dropped (those steps are not read).
     * Under IOB2 constraints ({@link TransitionConstraints#bio}, as {@code -inf}) the second term
     * is 0 unless {@code from = lo > 0}, so the score is the first term: the probability that the
     * CRF labels exactly this span as one entity of type T.
     *
     * @return a probability in [0, 1]
     */
    public double entityProbability(int from, int to, int begin, int inside, int lo, int hi) {
        if (lo < 0 || hi > length || lo > from || from >= to || to > hi) {
            throw new IllegalArgumentException("need 0 <= lo <= from < to <= hi <= " + length + ", got lo " + lo
                    + ", from " + from + ", to " + to + ", hi " + hi);
        }
        int k = p.numTags();
        if (begin == inside || begin < 0 || inside < 0 || begin >= k || inside >= k) {
            throw new IllegalArgumentException("begin " + begin + " and inside " + inside + " must be two tags in [0, " + k + ")");
        }
        boolean[] notInside = new boolean[k];
        java.util.Arrays.fill(notInside, true);
        notInside[inside] = false;
        boolean[] otherType = notInside.clone();
        otherType[begin] = false;
        boolean[] after = to < hi ? notInside : null;
        int[] tags = new int[to - from];
        java.util.Arrays.fill(tags, inside);
        double repaired = Math.exp(logProbability(from, tags, from > lo ? otherType : null, after));
        tags[0] = begin;
        double begun = Math.exp(logProbability(from, tags, null, after));
        return Math.min(1, begun + repaired);
    }

    private static void checkSet(boolean[] set, int k, String name) {
        if (set != null && set.length != k) {
            throw new IllegalArgumentException(name + " must have " + k + " entries, got " + set.length);
        }
    }
}
