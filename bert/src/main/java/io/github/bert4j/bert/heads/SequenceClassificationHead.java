package io.github.bert4j.bert.heads;

import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.EncoderPass;
import io.github.bert4j.bert.HfNames;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A classifier of whole sequences on the pooled {@code [CLS]} output: {@code pooled → dropout →
 * linear → softmax cross-entropy}, averaged over the labelled sequences. HuggingFace's {@code
 * BertForSequenceClassification} head ({@link HfNames#CLASSIFIER}, dropout {@code
 * hidden_dropout_prob}) and, with prefix {@link HfNames#NSP}, two classes and no dropout, the
 * next-sentence head of {@code BertForPreTraining}. A label {@code < 0} marks a sequence without
 * a target (an MLM-only sequence in pretraining, an unlabelled text): it takes no part in the loss,
 * the gradient or the accuracy.
 */
public final class SequenceClassificationHead {
    private final LinearClassifier classifier;

    /**
     * @param prefix parameter prefix ({@code prefix.weight [C,H]}, {@code prefix.bias [C]} in {@code params})
     * @param dropout on the pooled output in training, in [0, 1)
     * @param params the model's live parameters
     */
    public SequenceClassificationHead(String prefix, double dropout, Map<String, INDArray> params) {
        this.classifier = new LinearClassifier(prefix, dropout, params);
    }

    /** Puts the shapes of {@code prefix.weight [classes,H]} and {@code prefix.bias [classes]}. */
    public static void parameterShapes(Map<String, long[]> shapes, String prefix, int classes, int hidden) {
        BertEncoder.linear(shapes, prefix, classes, hidden);
    }

    public int classes() {
        return classifier.classes();
    }

    /** One forward pass: logits, loss, predictions and the way back to {@code dLoss/dpooled}. */
    public final class Pass {
        private final LinearClassifier.Pass linear;
        private final int[] labels;
        private final int labelled;
        private final double[] weights;
        /** The target class of each sequence (0 where there is none: its weight is 0). */
        private final int[] classes;
        private final INDArray probs;
        private final double loss;

        private Pass(LinearClassifier.Pass linear, int[] labels) {
            this.linear = linear;
            this.labels = labels;
            INDArray logits = linear.logits();
            int b = (int) logits.size(0);
            int n = 0;
            if (labels != null) {
                if (labels.length != b) {
                    throw new IllegalArgumentException(labels.length + " labels for a batch of " + b + " sequences");
                }
                for (int label : labels) {
                    n += label >= 0 ? 1 : 0;
                }
            }
            this.labelled = n;
            this.weights = new double[b];
            this.classes = new int[b];
            for (int i = 0; i < b; i++) {
                weights[i] = labels != null && labels[i] >= 0 ? 1.0 / n : 0;
                classes[i] = labels == null ? 0 : Math.max(labels[i], 0);
            }
            this.probs = Nd4j.create(logits.dataType(), logits.shape());
            this.loss = SoftmaxCrossEntropy.loss(logits, probs, classes, weights);
        }

        /** {@code [B,C]}. */
        public INDArray logits() {
            return linear.logits();
        }

        /** {@code softmax(logits)} {@code [B,C]} (until {@link #backward}, which turns it into the gradient). */
        public INDArray probabilities() {
            return probs;
        }

        /** Mean cross-entropy over the labelled sequences (0 when none is labelled). */
        public double loss() {
            return loss;
        }

        /** Sequences with a label {@code >= 0}. */
        public int labelled() {
            return labelled;
        }

        /** The arg-max class of each sequence. */
        public int[] predictions() {
            return Nd4j.argMax(linear.logits(), 1).toIntVector();
        }

        /** Correct predictions among the labelled sequences. */
        public int correct() {
            int[] pred = predictions();
            int c = 0;
            for (int i = 0; i < pred.length; i++) {
                c += labels != null && labels[i] >= 0 && pred[i] == labels[i] ? 1 : 0;
            }
            return c;
        }

        /** Puts the classifier's gradients into {@code grads} and returns {@code dLoss/dpooled} {@code [B,H]}. */
        public INDArray backward(Map<String, INDArray> grads) {
            return linear.backward(SoftmaxCrossEntropy.gradientInPlace(probs, classes, weights), grads);
        }
    }

    /**
     * The head on {@code pass.pooled()}: dropout in {@link BertEncoder.Mode#TRAIN}, logits, and the
     * loss against {@code labels} ({@code [B]}, {@code < 0} = none; null = no labels at all).
     */
    public Pass forward(EncoderPass pass, int[] labels) {
        return new Pass(classifier.forward(pass.pooled(), pass.mode() == BertEncoder.Mode.TRAIN), labels);
    }
}
