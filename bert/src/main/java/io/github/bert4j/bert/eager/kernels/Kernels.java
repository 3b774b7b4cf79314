package io.github.bert4j.bert.eager.kernels;

import io.github.bert4j.bert.HiddenAct;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.SoftmaxBp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The eager building blocks of the eager engine and the heads: each writes
 * into caller-provided buffers (no allocation of activation-sized arrays), in any floating point
 * type. Shapes use the letters of the graph builders (B batch, T length, N = B*T, H hidden, h heads, d head size, I intermediate); rows of {@code [N,H]} are {@code b*T + t}.
 */
public final class Kernels {
    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
    private static final double GELU_TANH_C = 0.044715;

    private Kernels() {}

    /**
     * The implementation that runs for arrays of {@code type} in this JVM, decided once: {@link
     * KernelBackend#VECTOR_API} or {@link KernelBackend#FUSED} for float32 on the CPU, {@link
     * KernelBackend#ND4J} otherwise. Within a fused backend a call still falls back to ND4J for an
     * array a fused kernel cannot read in place (a view, a non-C order).
     */
    public static KernelBackend backend(DataType type) {
        return KernelBackend.of(type);
    }

    /**
     * Embeddings → LayerNorm: {@code out = LayerNorm(word[ids] + position[t] + type[types])} for
     * {@code B×T} flat ids, keeping {@code xhat}/{@code rstd} when {@code keep}; one fused pass
     * where it applies, ND4J lookups and {@link #layerNorm} otherwise ({@code scratch} {@code [N,H]}).
     */
    public static void embeddingLayerNorm(INDArray word, INDArray position, INDArray tokenType, int[] ids, int[] types,
            int b, int t, INDArray gamma, INDArray beta, double eps, INDArray xhat, INDArray rstd, INDArray out,
            INDArray scratch, boolean keep) {
        if (FusedKernels.applies(word, xhat, rstd, out)) {
            EmbeddingLookup.checkIds(ids, word.size(0));
            EmbeddingLookup.checkIds(types, tokenType.size(0));
            FusedKernels.embeddingLayerNorm(word, position, tokenType, ids, types, t, gamma, beta, eps,
                    keep ? xhat : null, keep ? rstd : null, out);
        } else {
            INDArray e = EmbeddingLookup.forward(word, position, ids, b, t);
            e.addi(EmbeddingLookup.rows(tokenType, types));
            layerNorm(e, null, null, null, gamma, beta, eps, xhat, rstd, out, scratch, keep);
        }
    }

    /** PyTorch {@code Linear}: {@code out = x · Wᵀ + b}, W stored {@code [out,in]}. */
    public static void linear(INDArray x, INDArray w, INDArray b, INDArray out) {
        Nd4j.gemm(x, w, out, false, true, 1.0, 0.0);
        out.addiRowVector(b);
    }

    /** Gradient of W in {@code y = x · Wᵀ}: {@code dyᵀ · x}, {@code [out,in]} (a new array). */
    public static INDArray weightGrad(INDArray dy, INDArray x) {
        return Nd4j.gemm(dy, x, true, false);
    }

    /** Column sums {@code Σ_n x[n,:]} of {@code [N,H]} as a {@code [H]} vector (a GEMV through the BLAS, far faster than a reduction here). */
    public static INDArray columnSums(INDArray x) {
        INDArray ones = Nd4j.ones(x.dataType(), 1, x.size(0));
        return Nd4j.gemm(ones, x, false, false).reshape(x.size(1));
    }

    /** Batched matrix product {@code out[i] = op(a[i]) · op(b[i])} over the leading axis. */
    public static void bmm(INDArray a, INDArray b, INDArray out, boolean transposeA, boolean transposeB) {
        Nd4j.exec(new Mmul(a, b, out, MMulTranspose.builder().transposeA(transposeA).transposeB(transposeB).build()));
    }

    /** {@code scores[b,h,q,k] += additive[b,k]} for scores {@code [B*h,T,T]}. */
    public static void addKeyMask(INDArray scores, INDArray additive, int b, int heads, int t) {
        INDArray s4 = scores.reshape('c', b, heads, t, t);
        Nd4j.getExecutioner().exec(new BroadcastAddOp(s4, additive, s4, 0, 3));
    }

    /** Softmax over the last axis, {@code in → out}. */
    public static void softmaxLastDim(INDArray in, INDArray out) {
        Nd4j.exec(new SoftMax(in, out, in.rank() - 1));
    }

    /**
     * Softmax backward over the last axis, {@code out = P ⊙ (dP - Σ_k dP ⊙ P)} with {@code P =
     * softmax(scores)}: ND4J's {@code softmax_bp} (oneDNN's where available), given the softmax
     * input {@code scores}.
     */
    public static void softmaxBackward(INDArray scores, INDArray dProbs, INDArray out) {
        Nd4j.exec(new SoftmaxBp(scores, dProbs, out, scores.rank() - 1));
    }

    /**
     * LayerNorm over the last axis of {@code r} {@code [N,H]}: {@code xhat = (r - mean) * rstd},
     * {@code rstd = 1/sqrt(var + eps)} (biased variance), {@code y = xhat * γ + β}. Keeps {@code
     * xhat} and {@code rstd} {@code [N,1]} for the backward pass; {@code scratch} is {@code [N,H]}.
     */
    public static void layerNorm(INDArray r, INDArray gamma, INDArray beta, double eps, INDArray xhat, INDArray rstd,
            INDArray y, INDArray scratch) {
        layerNorm(r, null, null, null, gamma, beta, eps, xhat, rstd, y, scratch, true);
    }

    /**
     * {@code y = LayerNorm(z [+ bias] [⊙ mask] [+ residual])}: a dense layer's output (before its
     * bias), its dropout mask and the residual, normalised as {@link #layerNorm(INDArray, INDArray,
     * INDArray, double, INDArray, INDArray, INDArray, INDArray)}; null inputs are left out. {@code
     * z} may be overwritten. {@code xhat} and {@code rstd} are filled when {@code keep} (for the
     * backward pass), and may be used as workspace otherwise. One fused pass over the rows where
     * {@link FusedKernels} applies, ND4J ops otherwise.
     */
    public static void layerNorm(INDArray z, INDArray bias, INDArray mask, INDArray residual, INDArray gamma, INDArray beta,
            double eps, INDArray xhat, INDArray rstd, INDArray y, INDArray scratch, boolean keep) {
        if (FusedKernels.applies(z, mask, residual, xhat, rstd, y)) {
            FusedKernels.layerNorm(z, bias, mask, residual, gamma, beta, eps, keep ? xhat : null, keep ? rstd : null, y);
        } else {
            layerNormNd4j(z, bias, mask, residual, gamma, beta, eps, xhat, rstd, y, scratch);
        }
    }

    /** The ND4J composition of {@link #layerNorm(INDArray, INDArray, INDArray, INDArray, INDArray, INDArray, double, INDArray, INDArray, INDArray, INDArray, boolean)} (overwrites {@code z}). */
    public static void layerNormNd4j(INDArray z, INDArray bias, INDArray mask, INDArray residual, INDArray gamma, INDArray beta,
            double eps, INDArray xhat, INDArray rstd, INDArray y, INDArray scratch) {
        if (bias != null) {
            z.addiRowVector(bias);
        }
        if (mask != null) {
            z.muli(mask);
        }
        if (residual != null) {
            z.addi(residual);
        }
        long n = z.size(0);
        INDArray mean = z.mean(1).reshape(n, 1);
        xhat.assign(z).subiColumnVector(mean);
        scratch.assign(xhat).muli(xhat);
        INDArray var = scratch.mean(1).reshape(n, 1);
        rstd.assign(Transforms.sqrt(var.addi(eps), false)).rdivi(1.0);
        xhat.muliColumnVector(rstd);
        y.assign(xhat).muliRowVector(gamma).addiRowVector(beta);
    }

    /**
     * LayerNorm backward: {@code dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))}
     * with {@code dxhat = dy * γ}, into {@code out} (which may be {@code dy} itself); returns the
     * gradients of γ and β.
     */
    public static AffineGradients layerNormBackward(INDArray dy, INDArray xhat, INDArray rstd, INDArray gamma,
            INDArray out, INDArray scratch) {
        if (FusedKernels.applies(dy, xhat, rstd, out)) {
            return FusedKernels.layerNormBackward(dy, xhat, rstd, gamma, out);
        }
        return layerNormBackwardNd4j(dy, xhat, rstd, gamma, out, scratch);
    }

    /** The ND4J composition of {@link #layerNormBackward}. */
    public static AffineGradients layerNormBackwardNd4j(INDArray dy, INDArray xhat, INDArray rstd, INDArray gamma,
            INDArray out, INDArray scratch) {
        long n = dy.size(0);
        INDArray dBeta = columnSums(dy);
        scratch.assign(dy).muli(xhat);
        INDArray dGamma = columnSums(scratch);
        scratch.assign(dy).muliRowVector(gamma); // dxhat
        INDArray m1 = scratch.mean(1).reshape(n, 1);
        out.assign(scratch).muli(xhat);
        INDArray m2 = out.mean(1).reshape(n, 1);
        out.assign(xhat).muliColumnVector(m2);
        out.rsubi(scratch);
        out.subiColumnVector(m1);
        out.muliColumnVector(rstd);
        return new AffineGradients(dGamma, dBeta);
    }

    /** {@code act = activation(f)} for BERT's {@code hidden_act} ({@code gelu} exact, {@code gelu_new}, {@code relu}). */
    public static void activation(HiddenAct fn, INDArray f, INDArray act) {
        switch (fn) {
            case GELU:
                act.assign(f).muli(INV_SQRT2);
                Nd4j.exec(new Erf(act, act));
                act.addi(1.0).muli(f).muli(0.5);
                break;
            case GELU_NEW:
            case GELU_PYTORCH_TANH:
                act.assign(f).muli(f).muli(f).muli(GELU_TANH_C).addi(f).muli(SQRT_2_OVER_PI);
                Transforms.tanh(act, false);
                act.addi(1.0).muli(f).muli(0.5);
                break;
            case RELU:
                act.assign(f);
                Transforms.relu(act, false);
                break;
            default:
                throw new AssertionError(fn);
        }
    }

    /**
     * A dense layer followed by the exact GELU: {@code f = x · Wᵀ + b}, {@code act = GELU(f)}.
     * With {@code keep} (training), {@code f} holds the pre-activation afterwards and, on the ND4J
     * path, {@code phi} the {@code Φ(f)} of {@link #geluForward} ({@code phi} may be null where
     * {@link FusedKernels} applies: its backward pass recomputes it); without, {@code phi} is
     * workspace.
     */
    public static void linearGelu(INDArray x, INDArray w, INDArray b, INDArray f, INDArray act, INDArray phi, boolean keep) {
        if (FusedKernels.applies(x, f, act)) {
            Nd4j.gemm(x, w, f, false, true, 1.0, 0.0);
            FusedKernels.biasGelu(f, b, act, keep);
            return;
        }
        linear(x, w, b, f);
        geluForward(f, act, phi != null ? phi : f.ulike());
    }

    /**
     * Exact GELU keeping {@code Φ(f) = 0.5 (1 + erf(f/√2))} in {@code phi} for {@link
     * #geluBackward}, so that the backward pass needs no second erf (the costliest op here).
     */
    public static void geluForward(INDArray f, INDArray act, INDArray phi) {
        f.mul(INV_SQRT2, phi);
        Nd4j.exec(new Erf(phi, phi));
        phi.addi(1.0).muli(0.5);
        f.mul(phi, act);
    }

    /**
     * {@code dAct *= Φ(f) + f φ(f)} with {@code Φ} from {@link #geluForward} (or recomputed when
     * {@code phi} is null); {@code scratch} is overwritten. Fused where {@link FusedKernels}
     * applies (which recomputes {@code Φ} and ignores {@code phi}).
     */
    public static void geluBackward(INDArray f, INDArray phi, INDArray dAct, INDArray scratch) {
        if (FusedKernels.applies(f, dAct)) {
            FusedKernels.geluBackward(f, dAct);
        } else {
            geluBackwardNd4j(f, phi, dAct, scratch);
        }
    }

    /** The ND4J composition of {@link #geluBackward}. */
    public static void geluBackwardNd4j(INDArray f, INDArray phi, INDArray dAct, INDArray scratch) {
        if (phi == null) {
            phi = f.mul(INV_SQRT2);
            Nd4j.exec(new Erf(phi, phi));
            phi.addi(1.0).muli(0.5);
        }
        f.mul(f, scratch).muli(-0.5);
        Transforms.exp(scratch, false);
        scratch.muli(f).muli(INV_SQRT_2PI).addi(phi);
        dAct.muli(scratch);
    }

    /**
     * {@code dAct *= activation'(f)} in place; {@code scratch} ({@code [N,I]}, e.g. the activation
     * buffer once its use is over) and {@code scratch2} are overwritten.
     */
    public static void activationBackward(HiddenAct act, INDArray f, INDArray dAct, INDArray scratch, INDArray scratch2) {
        switch (act) {
            case GELU: {
                // Φ(f) + f φ(f)
                scratch.assign(f).muli(INV_SQRT2);
                Nd4j.exec(new Erf(scratch, scratch));
                scratch.addi(1.0).muli(0.5);
                scratch2.assign(f).muli(f).muli(-0.5);
                Transforms.exp(scratch2, false);
                scratch2.muli(f).muli(INV_SQRT_2PI);
                scratch.addi(scratch2);
                dAct.muli(scratch);
                break;
            }
            case GELU_NEW:
            case GELU_PYTORCH_TANH: {
                // 0.5 (1 + th) + 0.5 f (1 - th²) c (1 + 3·0.044715 f²), th = tanh(c (f + 0.044715 f³))
                scratch.assign(f).muli(f).muli(f).muli(GELU_TANH_C).addi(f).muli(SQRT_2_OVER_PI);
                Transforms.tanh(scratch, false);
                scratch2.assign(f).muli(f).muli(3 * GELU_TANH_C).addi(1.0).muli(SQRT_2_OVER_PI).muli(f).muli(0.5);
                scratch2.muli(scratch.mul(scratch).rsubi(1.0));
                scratch.addi(1.0).muli(0.5).addi(scratch2);
                dAct.muli(scratch);
                break;
            }
            case RELU:
                dAct.muli(f.gt(0.0).castTo(dAct.dataType()));
                break;
            default:
                throw new AssertionError(act);
        }
    }

    /**
     * Fills {@code mask} with an inverted-dropout mask: Bernoulli(1 - p) / (1 - p) from {@code
     * Nd4j.getRandom()}, exactly as the graph's dropout sites draw it (so both paths see the same
     * masks under the same seed); all ones (and no random draws) when {@code p == 0}.
     */
    public static void dropoutMask(INDArray mask, double p) {
        if (p == 0.0) {
            mask.assign(1.0);
            return;
        }
        double keep = 1.0 - p;
        Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, keep));
        mask.muli(1.0 / keep);
    }
}
