package io.github.bert4j.ner.crf;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A linear-chain conditional random field (Lafferty et al., 2001) as a SameDiff sub-graph, with the
 * semantics of pytorch-crf ({@code batch_first=True}): parameters {@link #TRANSITIONS} {@code [K,
 * K]} (row = from, column = to), {@link #START} {@code [K]}, {@link #END} {@code [K]}.
 *
 * <p>Dimension letters: B batch, T time steps (fixed when the graph is built), K tags.
 *
 * <p>{@link #negativeLogLikelihood} builds {@code logZ - score(gold)} per sequence. The forward
 * algorithm ({@code alpha_t[j] = logsumexp_i(alpha_{t-1}[i] + trans[i][j] + e_t[j])}) runs in log
 * space with max-shifted log-sum-exp, as a balanced tree of log-semiring matrix products over the T
 * steps (ceil(log2 T) levels, see {@code logPartition}); at a masked step alpha is carried unchanged
 * (the step's matrix is the identity), so padding never changes the result. The graph therefore depends on T: callers pad batches to a few bucket lengths
 * and keep one graph per bucket. Gradients reach the emissions and the three parameters through
 * {@code SameDiff.calculateGradients}.
 *
 * <p>Optional {@link TransitionConstraints} (e.g. {@link TransitionConstraints#bio}) are added as
 * constant penalties inside the graph and as {@code -inf} when decoding ({@link #decode}), so
 * training and decoding respect the same constraints. Decoding (Viterbi) runs outside the graph on
 * the emission array, in double precision ({@link CrfMath}), and so do the marginals and entity
 * probabilities ({@link ForwardBackward}).
 */
public final class LinearChainCrf {

    public static final String TRANSITIONS = "crf.transitions";
    public static final String START = "crf.start_transitions";
    public static final String END = "crf.end_transitions";

    /** How the graph computes the log-partition (both exact; they differ only in speed). */
    public enum ForwardAlgorithm {
        /**
         * T-1 unrolled steps, each a broadcast add and a log-sum-exp over K x K per sequence:
         * O(T K^2) arithmetic, about 8 graph ops per step.
         */
        SEQUENTIAL,
        /**
         * A balanced tree of log-semiring K x K matrix products: O(T K^3) arithmetic but only
         * about a dozen graph ops per level, ceil(log2 T) levels.
         */
        TREE
    }

    private final int numTags;
    private final TransitionConstraints constraints;
    private final ForwardAlgorithm algorithm;

    /**
     * A CRF whose graph uses {@link ForwardAlgorithm#TREE} (measured faster than the sequential
     * unroll at T = 128 and usable at T = 512, where the sequential graph takes tens of seconds).
     *
     * @param numTags K
     * @param constraints forbidden moves, or null for none
     */
    public LinearChainCrf(int numTags, TransitionConstraints constraints) {
        this(numTags, constraints, ForwardAlgorithm.TREE);
    }

    /**
     * @param numTags K
     * @param constraints forbidden moves, or null for none
     * @param algorithm how the log-partition is built into the graph
     */
    public LinearChainCrf(int numTags, TransitionConstraints constraints, ForwardAlgorithm algorithm) {
        this.algorithm = java.util.Objects.requireNonNull(algorithm, "algorithm");
        if (numTags < 1) {
            throw new IllegalArgumentException("numTags must be >= 1, got " + numTags);
        }
        if (constraints != null && constraints.numTags() != numTags) {
            throw new IllegalArgumentException("constraints are for " + constraints.numTags() + " tags, CRF has " + numTags);
        }
        this.numTags = numTags;
        this.constraints = constraints != null && constraints.anyForbidden() ? constraints : null;
    }

    public int numTags() {
        return numTags;
    }

    /** The constraints in force, or null. */
    public TransitionConstraints constraints() {
        return constraints;
    }

    /** Fresh parameters, uniform in [-0.1, 0.1) as pytorch-crf initialises them. */
    public Map<String, INDArray> initParameters(DataType dtype, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put(TRANSITIONS, uniform(rnd, dtype, numTags, numTags));
        p.put(START, uniform(rnd, dtype, numTags));
        p.put(END, uniform(rnd, dtype, numTags));
        return p;
    }

    /**
     * Declares the three parameters as trainable variables of {@code sd} backed by the given
     * arrays (the same arrays, so in-place optimizer updates are seen by the graph).
     */
    public void declareVariables(SameDiff sd, Map<String, INDArray> params) {
        for (String name : new String[] {TRANSITIONS, START, END}) {
            INDArray a = params.get(name);
            if (a == null) {
                throw new IllegalArgumentException("missing CRF parameter '" + name + "'");
            }
            long[] expected = name.equals(TRANSITIONS) ? new long[] {numTags, numTags} : new long[] {numTags};
            if (!java.util.Arrays.equals(a.shape(), expected)) {
                throw new IllegalArgumentException(name + " must have shape " + java.util.Arrays.toString(expected)
                        + ", got " + java.util.Arrays.toString(a.shape()));
            }
            if (!sd.hasVariable(name)) {
                sd.var(name, a);
            }
        }
    }

    /**
     * Builds the negative log-likelihood. The parameters must have been declared ({@link
     * #declareVariables}).
     *
     * @param name name of the output variable
     * @param emissions {@code [B, T, K]} unnormalised tag scores (float or double)
     * @param tags {@code [B, T]} integer gold tags (any value at masked steps)
     * @param mask {@code [B, T]} 1/0 in the emissions' data type, contiguous prefix, first step on
     * @param seqLen T, fixed for this graph
     * @param reduction how to combine sequences ({@code NONE} gives {@code [B]})
     */
    public SDVariable negativeLogLikelihood(String name, SameDiff sd, SDVariable emissions, SDVariable tags,
            SDVariable mask, int seqLen, Reduction reduction) {
        if (seqLen < 1) {
            throw new IllegalArgumentException("seqLen must be >= 1, got " + seqLen);
        }
        DataType dt = emissions.dataType();
        SDVariable trans = sd.getVariable(TRANSITIONS);
        SDVariable start = sd.getVariable(START);
        SDVariable end = sd.getVariable(END);
        if (trans == null || start == null || end == null) {
            throw new IllegalStateException("CRF variables not declared in this SameDiff; call declareVariables first");
        }
        if (constraints != null) {
            trans = trans.add(sd.constant(constraints.transitionPenalty(dt)));
            start = start.add(sd.constant(constraints.startPenalty(dt)));
            end = end.add(sd.constant(constraints.endPenalty(dt)));
        }
        SDVariable mask3 = sd.expandDims(mask, 2);                                      // [B,T,1]
        SDVariable gold = goldScore(sd, emissions, tags, mask, mask3, trans, start, end, seqLen, dt); // [B]
        SDVariable logZ = algorithm == ForwardAlgorithm.TREE
                ? logPartitionTree(sd, emissions, mask, trans, start, end, seqLen, dt)           // [B]
                : logPartitionSequential(sd, emissions, mask, trans, start, end, seqLen, dt);    // [B]
        SDVariable nll = logZ.sub(gold);                                                 // [B]
        return switch (reduction) {
            case NONE -> nll.rename(name);
            case SUM -> nll.sum(name);
            case MEAN -> nll.mean(name);
            case TOKEN_MEAN -> sd.math.div(name, nll.sum(), mask.sum());
        };
    }

    /** Batched masked Viterbi on emissions {@code [B, T, K]} with these parameters and constraints. */
    public ViterbiResult[] decode(INDArray emissions, INDArray mask, Map<String, INDArray> params) {
        return CrfMath.viterbi(emissions, mask, decodingParameters(params));
    }

    /**
     * Batched masked forward-backward (marginals, entity probabilities) on emissions {@code [B, T,
     * K]} with the parameters and constraints {@link #decode} uses.
     */
    public ForwardBackward[] forwardBackward(INDArray emissions, INDArray mask, Map<String, INDArray> params) {
        return ForwardBackward.of(emissions, mask, decodingParameters(params));
    }

    /** The parameters decoding uses: forbidden moves at {@code -inf} (exact constraints). */
    public CrfParameters decodingParameters(Map<String, INDArray> params) {
        return CrfParameters.from(params).constrained(constraints);
    }

    /** Double-precision NLL per sequence with the graph's penalty semantics (a reference for tests). */
    public double[] referenceNll(INDArray emissions, INDArray tags, INDArray mask, Map<String, INDArray> params) {
        return CrfMath.negativeLogLikelihood(emissions, tags, mask, penalised(CrfParameters.from(params)));
    }

    /** Parameters with {@link TransitionConstraints#FORBIDDEN} added where forbidden (graph semantics). */
    public CrfParameters penalised(CrfParameters p) {
        if (constraints == null) {
            return p;
        }
        int k = numTags;
        double[] s = p.start().clone();
        double[] e = p.end().clone();
        double[][] t = new double[k][];
        for (int i = 0; i < k; i++) {
            t[i] = p.transitions()[i].clone();
            s[i] += constraints.start()[i] ? 0 : TransitionConstraints.FORBIDDEN;
            e[i] += constraints.end()[i] ? 0 : TransitionConstraints.FORBIDDEN;
            for (int j = 0; j < k; j++) {
                t[i][j] += constraints.transitions()[i][j] ? 0 : TransitionConstraints.FORBIDDEN;
            }
        }
        return new CrfParameters(s, t, e);
    }

    private SDVariable goldScore(SameDiff sd, SDVariable em, SDVariable tags, SDVariable mask, SDVariable mask3,
            SDVariable trans, SDVariable start, SDVariable end, int seqLen, DataType dt) {
        SDVariable oh = sd.oneHot(tags, numTags, -1, 1.0, 0.0, dt).mul(mask3);   // [B,T,K], zero rows when masked
        SDVariable emGold = em.mul(oh).sum(1, 2);                                  // [B]
        SDVariable startGold = first(sd, oh, seqLen).mul(start).sum(1);            // [B]
        // end: only the last unmasked step counts; last[b,t] = mask[b,t] * (1 - mask[b,t+1]), the shift
        // as a product with a constant matrix (slicing a [1,T] array breaks ND4J's backward pass for B = 1)
        double[][] shift = new double[seqLen][seqLen];
        for (int t = 0; t + 1 < seqLen; t++) {
            shift[t + 1][t] = 1;
        }
        SDVariable successor = sd.mmul(mask, sd.constant(Nd4j.createFromArray(shift).castTo(dt))); // [B,T] = mask[b,t+1]
        SDVariable last = sd.expandDims(mask.mul(successor.rsub(1.0)), 2);        // [B,T,1]
        SDVariable endGold = oh.mul(end).mul(last).sum(1, 2);                      // [B]
        SDVariable gold = emGold.add(startGold);
        if (seqLen > 1) {
            // transitions: sum_t onehot_{t-1} . trans . onehot_t  (zero when step t is masked)
            SDVariable prev = range(sd, oh, 0, seqLen - 1);                        // [B,T-1,K]
            SDVariable next = range(sd, oh, 1, seqLen);                            // [B,T-1,K]
            SDVariable prevTrans = sd.reshape(sd.mmul(sd.reshape(prev, -1, numTags), trans), -1, seqLen - 1, numTags);
            SDVariable transGold = prevTrans.mul(next).sum(1, 2);                  // [B]
            gold = gold.add(transGold);
        }
        return gold.add(endGold);
    }

    /**
     * Forward algorithm as a balanced tree of log-semiring matrix products. With {@code M_t[i][j] =
     * trans[i][j] + e_t[j]} for t = 1..T-1, {@code logZ = logsumexp_{i,j}(alpha_0[i] + (M_1 (x)
     * ... (x) M_{T-1})[i][j] + end[j])}, where {@code (A (x) B)[i][j] = logsumexp_k(A[i][k] +
     * B[k][j])}. The product is associative, so each level multiplies all neighbouring pairs at
     * once: ceil(log2(T)) levels of a dozen ops each instead of T sequential steps (the sequential
     * unroll took 1,072 ops at T = 128 and over 40 s per gradient at T = 512 in SameDiff). A masked
     * step's matrix is the identity (0 on the diagonal, {@link #IDENTITY_OFF} elsewhere), so it
     * carries alpha unchanged and its emissions get no gradient. Every log-sum-exp is max-shifted.
     */
    private SDVariable logPartitionTree(SameDiff sd, SDVariable em, SDVariable mask, SDVariable trans,
            SDVariable start, SDVariable end, int seqLen, DataType dt) {
        SDVariable alpha0 = sd.expandDims(first(sd, em, seqLen).add(start), 2);   // [B,K,1]
        SDVariable endRow = sd.reshape(end, 1, 1, numTags);                        // [1,1,K]
        if (seqLen == 1) {
            return logSumExp(sd, sd.reshape(alpha0, -1, numTags).add(end), 1);    // [B]
        }
        SDVariable em1 = range(sd, em, 1, seqLen);                                 // [B,N=T-1,K]
        SDVariable m4 = sd.expandDims(sd.expandDims(range2(sd, mask, 1, seqLen), 2), 3); // [B,N,1,1]
        SDVariable identity = sd.constant(identityScores(dt));                     // [K,K]
        SDVariable mats = sd.expandDims(em1, 2).add(trans);                        // [B,N,K(from),K(to)]
        mats = mats.mul(m4).add(identity.mul(m4.rsub(1.0)));                       // masked steps: identity
        int n = seqLen - 1;
        while (n > 1) {
            int pairs = n / 2;
            SDVariable left = stride2(sd, mats, 0, 2 * pairs);                      // [B,pairs,K,K]
            SDVariable right = stride2(sd, mats, 1, 2 * pairs);                     // [B,pairs,K,K]
            SDVariable prod = logMatMul(sd, left, right);                          // [B,pairs,K,K]
            if (n % 2 == 1) {
                prod = sd.concat(1, prod, range4(sd, mats, n - 1, n));             // odd one out carried over
            }
            mats = prod;
            n = (n + 1) / 2;
        }
        SDVariable product = sd.reshape(mats, -1, numTags, numTags);               // [B,K,K]
        return logSumExp(sd, alpha0.add(product).add(endRow), 1, 2);               // [B]
    }

    /**
     * Forward algorithm unrolled step by step. Alpha alternates between a column {@code [B,K,1]}
     * and a row {@code [B,1,K]} so that each step is one broadcast add and one keep-dims
     * log-sum-exp; masked steps use the identity matrix as in the tree version.
     */
    private SDVariable logPartitionSequential(SameDiff sd, SDVariable em, SDVariable mask, SDVariable trans,
            SDVariable start, SDVariable end, int seqLen, DataType dt) {
        SDVariable alpha = sd.expandDims(first(sd, em, seqLen).add(start), 2);    // [B,K,1]
        boolean column = true;
        if (seqLen > 1) {
            SDVariable m4 = sd.expandDims(sd.expandDims(mask, 2), 3);             // [B,T,1,1]
            SDVariable identity = sd.constant(identityScores(dt));                 // [K,K]
            SDVariable mats = sd.expandDims(em, 2).add(trans);                     // [B,T,K(from),K(to)]
            mats = mats.mul(m4).add(identity.mul(m4.rsub(1.0)));                   // masked steps: identity
            SDVariable[] steps = sd.unstack(mats, 1, seqLen);                      // T x [B,K(from),K(to)]
            SDVariable[] stepsT = sd.unstack(sd.permute(mats, 0, 1, 3, 2), 1, seqLen); // T x [B,K(to),K(from)]
            for (int t = 1; t < seqLen; t++) {
                // column [B,K,1] + [B,K(from),K(to)], reduce dim 1 -> row [B,1,K]; and the mirror image
                alpha = logSumExpKeepDims(sd, alpha.add(column ? steps[t] : stepsT[t]), column ? 1 : 2);
                column = !column;
            }
        }
        SDVariable last = sd.reshape(alpha, -1, numTags);                          // [B,K]
        return logSumExp(sd, last.add(end), 1);                                    // [B]
    }

    /** {@code Z[b,n,i,j] = logsumexp_k(X[b,n,i,k] + Y[b,n,k,j])} for {@code [B,N,K,K]} inputs. */
    private static SDVariable logMatMul(SameDiff sd, SDVariable x, SDVariable y) {
        SDVariable sum = sd.expandDims(x, 4).add(sd.expandDims(y, 2));             // [B,N,K(i),K(k),K(j)]
        return logSumExp(sd, sum, 3);                                              // [B,N,K,K]
    }

    /** Score of the identity move in masked steps: far below any real score, but finite. */
    static final double IDENTITY_OFF = -1e30;

    private INDArray identityScores(DataType dt) {
        double[][] m = new double[numTags][numTags];
        for (int i = 0; i < numTags; i++) {
            for (int j = 0; j < numTags; j++) {
                m[i][j] = i == j ? 0 : IDENTITY_OFF;
            }
        }
        return Nd4j.createFromArray(m).castTo(dt);
    }

    /**
     * {@code max + log(sum(exp(x - max)))} over the given (ascending) dimensions. The max is a constant for
     * differentiation (its gradient cancels exactly); ND4J's own {@code reduce_logsumexp} has a broken
     * backward pass in 1.0.0-M2.1.
     */
    static SDVariable logSumExpKeepDims(SameDiff sd, SDVariable x, int... dims) {
        SDVariable max = new StopGradient(sd, x.max(true, dims)).outputVariable();
        return sd.math.log(sd.math.exp(x.sub(max)).sum(true, dims)).add(max);
    }

    /** As {@link #logSumExpKeepDims}, the reduced dimensions removed. */
    static SDVariable logSumExp(SameDiff sd, SDVariable x, int... dims) {
        SDVariable lse = logSumExpKeepDims(sd, x, dims);
        for (int i = dims.length - 1; i >= 0; i--) {
            lse = sd.squeeze(lse, dims[i]);
        }
        return lse;
    }

    /**
     * {@code x[:, 0, :]} of a {@code [B,T,K]} variable, as a masked sum rather than a shrinking
     * strided slice, whose backward pass fails in ND4J 1.0.0-M2.1 for B = 1 in some graphs (and a
     * reshape for T = 1, where a sum over a size-1 dimension fails).
     */
    private SDVariable first(SameDiff sd, SDVariable x, int seqLen) {
        if (seqLen == 1) {
            return sd.reshape(x, -1, numTags);
        }
        double[][] firstStep = new double[seqLen][1];
        firstStep[0][0] = 1;
        return x.mul(sd.constant(Nd4j.createFromArray(firstStep).castTo(x.dataType()))).sum(1);
    }

    /** {@code x[:, from:to, :]} of a rank-3 variable. */
    private static SDVariable range(SameDiff sd, SDVariable x, int from, int to) {
        return sd.stridedSlice(x, new long[] {0, from, 0}, new long[] {0, to, 0}, new long[] {1, 1, 1},
                0b101, 0b101, 0, 0, 0);
    }

    /** {@code x[:, from:to, :, :]} of a rank-4 variable. */
    private static SDVariable range4(SameDiff sd, SDVariable x, int from, int to) {
        return sd.stridedSlice(x, new long[] {0, from, 0, 0}, new long[] {0, to, 0, 0}, new long[] {1, 1, 1, 1},
                0b1101, 0b1101, 0, 0, 0);
    }

    /** {@code x[:, from:to:2, :, :]} of a rank-4 variable. */
    private static SDVariable stride2(SameDiff sd, SDVariable x, int from, int to) {
        return sd.stridedSlice(x, new long[] {0, from, 0, 0}, new long[] {0, to, 0, 0}, new long[] {1, 2, 1, 1},
                0b1101, 0b1101, 0, 0, 0);
    }

    /** {@code x[:, from:to]} of a rank-2 variable. */
    private static SDVariable range2(SameDiff sd, SDVariable x, int from, int to) {
        return sd.stridedSlice(x, new long[] {0, from}, new long[] {0, to}, new long[] {1, 1}, 0b01, 0b01, 0, 0, 0);
    }

    private static INDArray uniform(SplittableRandom rnd, DataType dtype, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextDouble(-0.1, 0.1);
        }
        return Nd4j.createFromArray(v).reshape(shape).castTo(dtype);
    }
}
