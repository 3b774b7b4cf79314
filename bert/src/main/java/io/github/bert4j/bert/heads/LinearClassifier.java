package io.github.bert4j.bert.heads;

import io.github.bert4j.bert.HfNames;
import io.github.bert4j.bert.eager.kernels.Kernels;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code logits = dropout(x) · Wᵀ + b}, {@code [M,H] → [M,C]}, with its backward pass: the block
 * HuggingFace's {@code BertFor*Classification} heads and the NSP head share. Parameters {@code
 * prefix.weight [C,H]} and {@code prefix.bias [C]} are read live from the model's map on every
 * call. Dropout (training only) is inverted dropout with a mask drawn from {@code Nd4j.rand}.
 */
public final class LinearClassifier {
    private final String weight;
    private final String bias;
    private final double dropout;
    private final Map<String, INDArray> params;

    /**
     * @param prefix parameter prefix ({@link HfNames#CLASSIFIER}, {@link HfNames#NSP})
     * @param dropout dropout probability on the input in training, in [0, 1)
     * @param params the model's live parameters (must hold {@code prefix.weight} and {@code prefix.bias})
     */
    public LinearClassifier(String prefix, double dropout, Map<String, INDArray> params) {
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("classifier dropout must be in [0, 1), got " + dropout);
        }
        this.weight = HfNames.weight(prefix);
        this.bias = HfNames.bias(prefix);
        this.dropout = dropout;
        this.params = params;
        if (params.get(weight) == null || params.get(bias) == null) {
            throw new IllegalArgumentException("no " + weight + " / " + bias + " among the parameters");
        }
    }

    public double dropout() {
        return dropout;
    }

    /** Number of classes {@code C}. */
    public int classes() {
        return (int) params.get(weight).size(0);
    }

    /** One forward pass, kept for its backward pass. */
    public final class Pass {
        private final INDArray x;
        private final INDArray mask;
        private final INDArray logits;

        private Pass(INDArray x, INDArray mask, INDArray logits) {
            this.x = x;
            this.mask = mask;
            this.logits = logits;
        }

        /** {@code [M,C]}. */
        public INDArray logits() {
            return logits;
        }

        /** Puts the W and b gradients into {@code grads} and returns {@code dLoss/dx} {@code [M,H]} (a new array). */
        public INDArray backward(INDArray dLogits, Map<String, INDArray> grads) {
            grads.put(weight, Kernels.weightGrad(dLogits, x));
            grads.put(bias, Kernels.columnSums(dLogits));
            INDArray dx = Nd4j.gemm(dLogits, params.get(weight), false, false);
            return mask == null ? dx : dx.muli(mask);
        }
    }

    /** Logits of {@code x} {@code [M,H]}; in training with dropout the input is masked first. */
    public Pass forward(INDArray x, boolean train) {
        INDArray mask = train && dropout > 0 ? dropoutMask(x.size(0), x.size(1), x.dataType()) : null;
        INDArray in = mask == null ? x : x.mul(mask);
        INDArray logits = Nd4j.create(x.dataType(), x.size(0), classes());
        Kernels.linear(in, params.get(weight), params.get(bias), logits);
        return new Pass(in, mask, logits);
    }

    /** Inference logits of {@code x} {@code [M,H]} into {@code out} {@code [M,C]} (nothing else allocated). */
    public void logitsInto(INDArray x, INDArray out) {
        Kernels.linear(x, params.get(weight), params.get(bias), out);
    }

    private INDArray dropoutMask(long rows, long cols, DataType dt) {
        double keep = 1 - dropout;
        INDArray u = Nd4j.rand(dt, rows, cols);
        return u.lt(keep).castTo(dt).divi(keep);
    }
}
