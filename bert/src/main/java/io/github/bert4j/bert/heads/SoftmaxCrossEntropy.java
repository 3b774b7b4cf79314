package io.github.bert4j.bert.heads;

import io.github.bert4j.bert.eager.kernels.Kernels;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Weighted softmax cross-entropy over the rows of {@code [M,C]} logits, the loss of every
 * classification head: {@code loss = Σ_m w_m · -log softmax(logits_m)[label_m]} and {@code
 * dLoss/dlogits_m = w_m (softmax(logits_m) - onehot(label_m))}. Rows of weight 0 (no label,
 * padding) take no part. The softmax is computed once (ND4J's op) into a caller's buffer, which
 * then becomes the gradient in place, so an {@code [M,V]} MLM step allocates nothing of that size.
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {}

    /**
     * Writes {@code softmax(logits)} into {@code probs} and returns the weighted loss.
     *
     * @param labels class per row (any value where the weight is 0)
     * @param weights per row, already normalised as the loss wants them (e.g. {@code 1/Σw})
     */
    public static double loss(INDArray logits, INDArray probs, int[] labels, double[] weights) {
        Kernels.softmaxLastDim(logits, probs);
        double loss = 0;
        for (int m = 0; m < labels.length; m++) {
            if (weights[m] != 0) {
                loss += weights[m] * crossEntropy(logits, probs, m, labels[m]);
            }
        }
        return loss;
    }

    /** Turns the {@code probs} of {@link #loss} into {@code dLoss/dlogits} in place. */
    public static INDArray gradientInPlace(INDArray probs, int[] labels, double[] weights) {
        int rows = labels.length;
        for (int m = 0; m < rows; m++) {
            if (weights[m] != 0) {
                probs.putScalar(m, labels[m], probs.getDouble(m, labels[m]) - 1.0);
            }
        }
        probs.muliColumnVector(Nd4j.createFromArray(weights).castTo(probs.dataType()).reshape(rows, 1));
        return probs;
    }

    /**
     * {@code -log softmax(logits[m])[label]} from the softmax output, or, where the label's
     * probability is too small to take its logarithm accurately, exactly from the row's logits.
     */
    static double crossEntropy(INDArray logits, INDArray probs, int m, int label) {
        if (label < 0 || label >= logits.size(1)) {
            throw new IllegalArgumentException("label " + label + " outside [0, " + logits.size(1) + ")");
        }
        double p = probs.getDouble(m, label);
        if (p > 1e-30) {
            return -Math.log(p);
        }
        double[] row = logits.getRow(m).toDoubleVector();
        double max = Double.NEGATIVE_INFINITY;
        for (double v : row) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : row) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum) - row[label];
    }
}
