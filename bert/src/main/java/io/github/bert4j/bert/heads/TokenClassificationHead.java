package io.github.bert4j.bert.heads;

import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.EncoderPass;
import io.github.bert4j.bert.HfNames;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-token logits on the hidden states, HuggingFace's {@code BertForTokenClassification} head:
 * {@code hidden → dropout → linear}, {@code [B*T,H] → [B*T,K]}, parameters {@link
 * HfNames#CLASSIFIER_WEIGHT} {@code [K,H]} and {@link HfNames#CLASSIFIER_BIAS} {@code [K]}. The
 * loss is the caller's (a CRF for NER, a softmax for plain tagging): it hands back {@code
 * dLoss/dlogits}.
 */
public final class TokenClassificationHead {
    private final LinearClassifier classifier;

    /**
     * @param dropout on the hidden states in training, in [0, 1)
     * @param params the model's live parameters
     */
    public TokenClassificationHead(double dropout, Map<String, INDArray> params) {
        this.classifier = new LinearClassifier(HfNames.CLASSIFIER, dropout, params);
    }

    /** Puts the shapes of the classifier's parameters for {@code labels} classes. */
    public static void parameterShapes(Map<String, long[]> shapes, int labels, int hidden) {
        BertEncoder.linear(shapes, HfNames.CLASSIFIER, labels, hidden);
    }

    public double dropout() {
        return classifier.dropout();
    }

    public int labels() {
        return classifier.classes();
    }

    /** The head on {@code pass.hidden()} (dropout in a training pass): its logits and the way back. */
    public LinearClassifier.Pass forward(EncoderPass pass) {
        return classifier.forward(pass.hidden(), pass.mode() == BertEncoder.Mode.TRAIN);
    }

    /** Inference logits of hidden states {@code [N,H]} into {@code out} {@code [N,K]}, reading {@code hidden} in place. */
    public void logitsInto(INDArray hidden, INDArray out) {
        classifier.logitsInto(hidden, out);
    }
}
