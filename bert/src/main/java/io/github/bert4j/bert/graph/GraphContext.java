package io.github.bert4j.bert.graph;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the graph builders ({@link BertEmbeddings}, {@link BertLayer}, ...) share while one graph is
 * built: the target {@link SameDiff}, the config, the mode, the parameter arrays (made graph
 * variables on first use, under their HuggingFace names, sharing the arrays so that in-place
 * optimizer updates are seen) and the dropout sites.
 *
 * <p>Dimension letters: {@code B} batch, {@code T} sequence length, {@code N = B*T}, {@code H}
 * hidden size, {@code h} heads, {@code d = H/h} head size, {@code I} intermediate size.
 *
 * <p>Dropout: SameDiff 1.0.0-M2.1's dropout ops have no gradient, so each dropout site is a
 * multiplication by a placeholder mask (values 0 or 1/keep) that {@link DropoutSite#fill} draws
 * from ND4J's generator before every training step.
 */
final class GraphContext {
    final SameDiff sd;
    final BertConfig config;
    final BertEncoder.Mode mode;
    final DataType dtype;
    private final Function<String, INDArray> parameters;
    private final List<DropoutSite> dropouts = new ArrayList<>();
    /** Use the fused attention op where it applies (no attention dropout); see {@link BertSelfAttention}. */
    boolean fusedAttention = true;
    /** The {@code [B,T]} 0/1 key mask (the attention_mask placeholder). */
    SDVariable keyMask;
    /** {@code [B,T]} as a LONG vector, for reshapes with dynamic batch size and length. */
    private SDVariable batchAndLength;

    GraphContext(SameDiff sd, BertConfig config, BertEncoder.Mode mode, DataType dtype,
            Function<String, INDArray> parameters) {
        this.sd = sd;
        this.config = config;
        this.mode = mode;
        this.dtype = dtype;
        this.parameters = parameters;
    }

    /** The graph variable of parameter {@code name} (created on first use, sharing the array). */
    SDVariable param(String name) {
        if (sd.hasVariable(name)) {
            return sd.getVariable(name);
        }
        INDArray arr = parameters.apply(name);
        if (arr == null) {
            throw new IllegalStateException("no parameter named " + name);
        }
        return sd.var(name, arr);
    }

    /** Remembers {@code [B,T]} (the shape of a {@code [B,T]} placeholder) for dynamic reshapes. */
    void setBatchAndLength(SDVariable placeholderBT) {
        this.keyMask = placeholderBT;
        this.batchAndLength = sd.shape(placeholderBT).castTo(DataType.LONG);
    }

    /** A LONG shape vector {@code [B, T, tail...]}. */
    SDVariable shapeBT(long... tail) {
        if (tail.length == 0) {
            return batchAndLength;
        }
        return sd.concat(0, batchAndLength, sd.constant(Nd4j.createFromArray(tail)));
    }

    /** PyTorch {@code Linear}: {@code x · Wᵀ + b} with W stored {@code [out,in]} as in HF. {@code [N,in] -> [N,out]}. */
    SDVariable dense(String prefix, SDVariable x) {
        SDVariable w = param(prefix + ".weight");
        SDVariable b = param(prefix + ".bias");
        return sd.mmul(x, w, false, true, false).add(b);
    }

    /** Largest {@code layer_norm_eps} for which the fused op (which has no epsilon) is used. */
    public static final double FUSED_LAYER_NORM_MAX_EPS = 1e-9;

    /**
     * LayerNorm over the last axis of {@code [N,H]}: {@code (x - mean) / sqrt(var + eps) * γ + β},
     * biased variance, {@code eps = layer_norm_eps}. SameDiff's fused {@code layer_norm} (one op
     * forward and backward, far cheaper than the ~10 primitives) computes {@code (x - mean) / std}
     * without an epsilon; it is used when {@code eps <= 1e-9} (BERT's 1e-12 changes the result by a
     * relative {@code eps / (2 var)}, below float precision for any non-degenerate row); larger
     * epsilons get the exact composition of primitives.
     */
    SDVariable layerNorm(String prefix, SDVariable x) {
        if (config.layerNormEps() <= FUSED_LAYER_NORM_MAX_EPS) {
            return sd.nn.layerNorm(x, param(prefix + ".weight"), param(prefix + ".bias"), false, 1);
        }
        SDVariable mean = x.mean(true, 1);
        SDVariable centered = x.sub(mean);
        SDVariable var = centered.mul(centered).mean(true, 1);
        SDVariable inv = sd.math.rsqrt(var.add(config.layerNormEps()));
        return centered.mul(inv).mul(param(prefix + ".weight")).add(param(prefix + ".bias"));
    }

    /** The configured activation ({@code hidden_act}). */
    SDVariable activation(SDVariable x) {
        switch (config.activation()) {
            case GELU: {
                // exact GELU: 0.5 x (1 + erf(x / sqrt 2)); SameDiff's gelu is the sigmoid approximation
                SDVariable erf = sd.math.erf(x.mul(1.0 / Math.sqrt(2.0)));
                return x.mul(0.5).mul(erf.add(1.0));
            }
            case GELU_NEW:
            case GELU_PYTORCH_TANH: {
                SDVariable inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(Math.sqrt(2.0 / Math.PI));
                return x.mul(0.5).mul(sd.math.tanh(inner).add(1.0));
            }
            case RELU:
                return sd.nn.relu(x, 0.0);
            default:
                throw new IllegalStateException("unsupported hidden_act " + config.hiddenAct());
        }
    }

    /**
     * Dropout with probability {@code p} in training mode (identity otherwise): {@code x * mask},
     * the mask a placeholder named {@code name} of the shape {@code kind} describes.
     */
    SDVariable dropout(String name, SDVariable x, double p, DropoutSite.Kind kind) {
        if (mode != BertEncoder.Mode.TRAIN || p == 0.0) {
            return x;
        }
        DropoutSite site = new DropoutSite(name, kind, p);
        dropouts.add(site);
        SDVariable mask = kind == DropoutSite.Kind.ATTENTION_PROBS
                ? sd.placeHolder(name, dtype, -1, config.numAttentionHeads(), -1, -1)
                : sd.placeHolder(name, dtype, -1, kind == DropoutSite.Kind.HIDDEN ? config.hiddenSize() : -1);
        return x.mul(mask);
    }

    List<DropoutSite> dropoutSites() {
        return Collections.unmodifiableList(dropouts);
    }

    /** Fills the mask of every dropout site for a batch of {@code b} sequences of length {@code t}. */
    void fillDropout(Map<String, INDArray> placeholders, int b, int t) {
        for (DropoutSite s : dropouts) {
            placeholders.put(s.name(), s.fill(dtype, config, b, t));
        }
    }
}
