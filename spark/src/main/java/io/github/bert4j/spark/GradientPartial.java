package io.github.bert4j.spark;

import io.github.bert4j.core.train.Metrics;
import io.github.bert4j.core.train.StepOutput;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one partition returns for one step, and what Spark's {@code treeAggregate} adds up: the
 * example-weighted gradient sums (in float, as the single-process trainer sums them), loss sum,
 * example and token counts, metric sums, and the first non-finite loss seen.
 */
final class GradientPartial implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Gradient sums in parameter order; null where no micro-batch produced a gradient. */
    float[][] grads;
    double lossSum;
    long examples;
    long tokens;
    int microBatches;
    final Map<String, double[]> metrics = new LinkedHashMap<>();
    /** The first micro-batch with a non-finite loss, or -1. */
    int badMicro = -1;
    double badLoss;

    /** Adds one micro-batch's output, weighted by its examples unless the step has a single micro-batch. */
    GradientPartial add(StepOutput out, int micro, boolean single, List<String> names) {
        if (!Double.isFinite(out.loss())) {
            if (badMicro < 0 || micro < badMicro) {
                badMicro = micro;
                badLoss = out.loss();
            }
            return this;
        }
        if (out.examples() <= 0) {
            throw new IllegalStateException("trainStep reported " + out.examples() + " examples");
        }
        if (grads == null) {
            grads = new float[names.size()][];
        }
        float w = single ? 1f : (float) out.examples();
        for (int i = 0; i < names.size(); i++) {
            INDArray g = out.gradients().get(names.get(i));
            if (g == null) {
                continue;
            }
            float[] v = g.castTo(DataType.FLOAT).dup('c').data().asFloat();
            float[] s = grads[i];
            if (s == null) {
                if (w != 1f) {
                    for (int k = 0; k < v.length; k++) {
                        v[k] *= w;
                    }
                }
                grads[i] = v;
            } else {
                for (int k = 0; k < v.length; k++) {
                    s[k] += v[k] * w;
                }
            }
        }
        lossSum += out.loss() * out.examples();
        examples += out.examples();
        tokens += out.tokens();
        microBatches++;
        Metrics m = out.metrics();
        m.means().forEach((k, mean) -> {
            double c = m.count(k);
            double[] acc = metrics.computeIfAbsent(k, x -> new double[2]);
            acc[0] += mean * c;
            acc[1] += c;
        });
        return this;
    }

    /** Adds {@code o} into this (Spark's combine step). */
    GradientPartial merge(GradientPartial o) {
        if (o.grads != null) {
            if (grads == null) {
                grads = o.grads;
            } else {
                for (int i = 0; i < grads.length; i++) {
                    if (o.grads[i] == null) {
                        continue;
                    }
                    if (grads[i] == null) {
                        grads[i] = o.grads[i];
                    } else {
                        float[] s = grads[i];
                        float[] v = o.grads[i];
                        for (int k = 0; k < s.length; k++) {
                            s[k] += v[k];
                        }
                    }
                }
            }
        }
        lossSum += o.lossSum;
        examples += o.examples;
        tokens += o.tokens;
        microBatches += o.microBatches;
        o.metrics.forEach((k, v) -> {
            double[] acc = metrics.computeIfAbsent(k, x -> new double[2]);
            acc[0] += v[0];
            acc[1] += v[1];
        });
        if (o.badMicro >= 0 && (badMicro < 0 || o.badMicro < badMicro)) {
            badMicro = o.badMicro;
            badLoss = o.badLoss;
        }
        return this;
    }

    Metrics toMetrics() {
        Metrics m = new Metrics();
        metrics.forEach((k, v) -> m.add(k, v[0], v[1]));
        return m;
    }
}
