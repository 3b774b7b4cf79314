package io.github.bert4j.core.train;

import io.github.bert4j.core.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter, "Decoupled Weight Decay
 * Regularization", ICLR 2019), step for step as {@code torch.optim.AdamW}: for step {@code t =
 * 1, 2, ...} and each parameter {@code p} with gradient {@code g}
 *
 * <pre>
 * p  -= lr * wd * p                    (only if decays(name))
 * m   = b1 * m + (1 - b1) * g
 * v   = b2 * v + (1 - b2) * g^2
 * p  -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 *
 * Parameters are updated in place with whole-array ND4J operations (one temporary per
 * parameter). Moments {@code m, v} have the parameter's shape and data type and are created at
 * the first step. A parameter without a gradient is treated as having a zero gradient.
 */
public final class AdamW {
    private static final String M = "exp_avg.";
    private static final String V = "exp_avg_sq.";

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Predicate<String> noDecay;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();
    private long step;

    /**
     * @param noDecay parameter names exempt from weight decay, e.g. {@link #defaultNoDecay()}
     */
    public AdamW(double beta1, double beta2, double eps, double weightDecay, Predicate<String> noDecay) {
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && eps > 0 && weightDecay >= 0)) {
            throw new IllegalArgumentException("bad AdamW hyper-parameters: beta1=" + beta1 + " beta2=" + beta2
                    + " eps=" + eps + " weight_decay=" + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.noDecay = noDecay;
    }

    /** AdamW with the betas, epsilon and weight decay of {@code cfg} and {@link #defaultNoDecay()}. */
    public static AdamW from(TrainingConfig cfg) {
        return new AdamW(cfg.adamBeta1(), cfg.adamBeta2(), cfg.adamEps(), cfg.weightDecay(), defaultNoDecay());
    }

    /**
     * BERT's convention: no weight decay on biases ({@code *.bias}) and LayerNorm parameters (names
     * containing {@code LayerNorm}, {@code layer_norm} or {@code layernorm}, any case).
     */
    public static Predicate<String> defaultNoDecay() {
        return name -> {
            String lower = name.toLowerCase(Locale.ROOT);
            return lower.endsWith(".bias") || lower.equals("bias") || lower.contains("layernorm")
                    || lower.contains("layer_norm");
        };
    }

    /** Number of steps taken so far. */
    public long steps() {
        return step;
    }

    /** Whether weight decay applies to parameter {@code name}. */
    public boolean decays(String name) {
        return weightDecay > 0 && !noDecay.test(name);
    }

    /**
     * One optimisation step with learning rate {@code lr}: updates every array of {@code params}
     * in place.
     *
     * @param grads gradients by parameter name, each of its parameter's shape; missing = zero
     * @throws IllegalArgumentException if a gradient has no parameter or the wrong shape
     */
    public void step(Map<String, INDArray> params, Map<String, INDArray> grads, double lr) {
        step(params, grads, lr, name -> 1.0);
    }

    /**
     * One optimisation step in which parameter {@code name} uses the learning rate {@code lr *
     * lrScale(name)} (parameter groups, as PyTorch's: a new head trained faster than its encoder,
     * layer-wise decay). Weight decay follows the scaled rate, as in PyTorch's AdamW. A scale of
     * exactly 1 gives the same bits as {@link #step(Map, Map, double)}.
     *
     * @param lrScale a finite, non-negative factor per parameter name
     */
    public void step(Map<String, INDArray> params, Map<String, INDArray> grads, double lr,
            ToDoubleFunction<String> lrScale) {
        for (String name : grads.keySet()) {
            if (!params.containsKey(name)) throw new IllegalArgumentException("gradient for unknown parameter " + name);
        }
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            double scale = lrScale.applyAsDouble(e.getKey());
            if (!(scale >= 0 && Double.isFinite(scale))) {
                throw new IllegalArgumentException("learning-rate scale of " + e.getKey() + " must be finite and >= 0, got " + scale);
            }
            update(e.getKey(), e.getValue(), grads.get(e.getKey()), scale == 1.0 ? lr : lr * scale, bc1, bc2Sqrt);
        }
    }

    private void update(String name, INDArray p, INDArray g, double lr, double bc1, double bc2Sqrt) {
        INDArray mp = m.computeIfAbsent(name, k -> Nd4j.zeros(p.dataType(), p.shape()));
        INDArray vp = v.computeIfAbsent(name, k -> Nd4j.zeros(p.dataType(), p.shape()));
        if (decays(name)) p.muli(1 - lr * weightDecay);
        mp.muli(beta1);
        vp.muli(beta2);
        INDArray tmp;
        if (g != null) {
            checkShape(name, p, g);
            INDArray gp = g.dataType() == p.dataType() ? g : g.castTo(p.dataType());
            tmp = gp.mul(1 - beta1);
            mp.addi(tmp);
            tmp.assign(gp).muli(gp).muli(1 - beta2);
            vp.addi(tmp);
            tmp.assign(vp);
        } else {
            tmp = vp.dup();
        }
        Transforms.sqrt(tmp, false).divi(bc2Sqrt).addi(eps); // denominator
        tmp.rdivi(mp).muli(lr / bc1);
        p.subi(tmp);
        tmp.close();
    }

    private static void checkShape(String name, INDArray p, INDArray g) {
        if (!Arrays.equals(p.shape(), g.shape())) {
            throw new IllegalArgumentException("gradient of " + name + " has shape " + Arrays.toString(g.shape())
                    + ", parameter has " + Arrays.toString(p.shape()));
        }
    }

    /** First moment of {@code name}, or null before the first step (live array). */
    public INDArray firstMoment(String name) {
        return m.get(name);
    }

    /** Second moment of {@code name}, or null before the first step (live array). */
    public INDArray secondMoment(String name) {
        return v.get(name);
    }

    /**
     * Saves the moments (as {@code exp_avg.<name>} and {@code exp_avg_sq.<name>}) and the step
     * count (metadata {@code step}) to a safetensors file, atomically.
     */
    public void save(Path file) throws IOException {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        m.forEach((k, a) -> tensors.put(M + k, a));
        v.forEach((k, a) -> tensors.put(V + k, a));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "bert4j-adamw");
        meta.put("step", Long.toString(step));
        meta.put("beta1", Double.toString(beta1));
        meta.put("beta2", Double.toString(beta2));
        meta.put("eps", Double.toString(eps));
        meta.put("weight_decay", Double.toString(weightDecay));
        SafeTensors.write(file, tensors, meta);
    }

    /**
     * Restores the state written by {@link #save}; every parameter of {@code params} must have
     * both moments of its shape (a state saved before the first step has none).
     *
     * @throws CheckpointException if the file does not match {@code params}
     */
    public void load(Path file, Map<String, INDArray> params) throws IOException {
        Map<String, INDArray> tensors = SafeTensors.read(file);
        String stepText = SafeTensors.readHeader(file).metadata().get("step");
        long loadedStep = parseStep(file, stepText);
        Map<String, INDArray> newM = new LinkedHashMap<>();
        Map<String, INDArray> newV = new LinkedHashMap<>();
        if (loadedStep > 0) {
            for (Map.Entry<String, INDArray> e : params.entrySet()) {
                newM.put(e.getKey(), moment(file, tensors, M, e.getKey(), e.getValue()));
                newV.put(e.getKey(), moment(file, tensors, V, e.getKey(), e.getValue()));
            }
        }
        m.clear();
        m.putAll(newM);
        v.clear();
        v.putAll(newV);
        step = loadedStep;
    }

    private static long parseStep(Path file, String text) {
        try {
            long s = Long.parseLong(text);
            if (s < 0) throw new NumberFormatException();
            return s;
        } catch (NumberFormatException e) {
            throw new CheckpointException(file, "metadata 'step' must be a non-negative integer, got " + text);
        }
    }

    private static INDArray moment(Path file, Map<String, INDArray> tensors, String prefix, String name, INDArray p) {
        INDArray a = tensors.get(prefix + name);
        if (a == null) throw new CheckpointException(file, "no optimizer state " + prefix + name);
        if (!Arrays.equals(a.shape(), p.shape())) {
            throw new CheckpointException(file, "optimizer state " + prefix + name + " has shape "
                    + Arrays.toString(a.shape()) + ", parameter has " + Arrays.toString(p.shape()));
        }
        Checkpoints.requireFinite(file, "optimizer state " + prefix + name, a);
        return a.dataType() == p.dataType() ? a : a.castTo(p.dataType());
    }
}
