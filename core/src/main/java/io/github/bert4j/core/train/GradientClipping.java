package io.github.bert4j.core.train;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Clipping of gradients by their global L2 norm, as {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradientClipping {
    private GradientClipping() {}

    /** {@code sqrt(sum over arrays of sum(g^2))}, accumulated in double. */
    public static double globalNorm(Map<String, INDArray> grads) {
        double sumSq = 0;
        for (INDArray g : grads.values()) {
            double n = g.norm2Number().doubleValue();
            sumSq += n * n;
        }
        return Math.sqrt(sumSq);
    }

    /**
     * Scales all gradients in place by {@code maxNorm / (norm + 1e-6)} if that is below 1, so that
     * their global norm becomes (at most) {@code maxNorm}. Non-finite norms are left alone (the
     * caller decides what a diverged step means); {@code maxNorm <= 0} disables clipping.
     *
     * @return the global norm before clipping
     */
    public static double clipGlobalNorm(Map<String, INDArray> grads, double maxNorm) {
        double norm = globalNorm(grads);
        if (maxNorm > 0 && Double.isFinite(norm)) {
            double coef = maxNorm / (norm + 1e-6);
            if (coef < 1) {
                for (INDArray g : grads.values()) g.muli(coef);
            }
        }
        return norm;
    }
}
