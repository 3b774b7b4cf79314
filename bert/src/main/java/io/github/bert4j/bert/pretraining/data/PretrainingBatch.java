package io.github.bert4j.bert.pretraining.data;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One (micro-)batch of BERT pretraining examples, as ND4J arrays. Dimension letters: {@code B}
 * batch size, {@code T} sequence length (padded), {@code P} max predictions per sequence (padded).
 *
 * <p>Integer fields may be any integer {@link DataType} (INT32 recommended) — the model converts;
 * {@code attentionMask} and {@code mlmWeights} may be integer or floating point (values 0/1).
 *
 * @param inputIds {@code [B,T]} token ids after masking ({@code [CLS] A [SEP] B [SEP] [PAD]...})
 * @param tokenTypeIds {@code [B,T]} segment ids: 0 for {@code [CLS]}, A and its {@code [SEP]}; 1
 *     for B and its {@code [SEP]}; 0 for padding
 * @param attentionMask {@code [B,T]} 1 for real tokens, 0 for padding
 * @param mlmPositions {@code [B,P]} positions (0..T-1) of the predicted tokens, padded with 0
 * @param mlmLabels {@code [B,P]} the original token ids at those positions (0 in padding)
 * @param mlmWeights {@code [B,P]} 1 for a real prediction, 0 for padding
 * @param nspLabels {@code [B]} 0 when B is the true continuation (IsNext), 1 when B is random
 *     (HuggingFace's convention)
 */
public record PretrainingBatch(
        INDArray inputIds,
        INDArray tokenTypeIds,
        INDArray attentionMask,
        INDArray mlmPositions,
        INDArray mlmLabels,
        INDArray mlmWeights,
        INDArray nspLabels) {

    public PretrainingBatch {
        Objects.requireNonNull(inputIds, "inputIds");
        Objects.requireNonNull(tokenTypeIds, "tokenTypeIds");
        Objects.requireNonNull(attentionMask, "attentionMask");
        Objects.requireNonNull(mlmPositions, "mlmPositions");
        Objects.requireNonNull(mlmLabels, "mlmLabels");
        Objects.requireNonNull(mlmWeights, "mlmWeights");
        Objects.requireNonNull(nspLabels, "nspLabels");
        requireShape("inputIds", inputIds, 2);
        long b = inputIds.size(0);
        long t = inputIds.size(1);
        requireSame("tokenTypeIds", tokenTypeIds, b, t);
        requireSame("attentionMask", attentionMask, b, t);
        requireShape("mlmPositions", mlmPositions, 2);
        long p = mlmPositions.size(1);
        requireSame("mlmPositions", mlmPositions, b, p);
        requireSame("mlmLabels", mlmLabels, b, p);
        requireSame("mlmWeights", mlmWeights, b, p);
        if (nspLabels.length() != b) {
            throw new IllegalArgumentException(
                    "nspLabels must have " + b + " elements (batch size), got " + nspLabels.length());
        }
    }

    /** Batch size {@code B}. */
    public int batchSize() {
        return (int) inputIds.size(0);
    }

    /** Padded sequence length {@code T}. */
    public int seqLength() {
        return (int) inputIds.size(1);
    }

    /** Max predictions per sequence {@code P}. */
    public int maxPredictions() {
        return (int) mlmPositions.size(1);
    }

    /** Number of real (non-padding) tokens: the sum of {@code attentionMask}. */
    public int realTokens() {
        return (int) Math.round(attentionMask.castTo(DataType.DOUBLE).sumNumber().doubleValue());
    }

    /** Number of real MLM predictions: the sum of {@code mlmWeights}. */
    public int realPredictions() {
        return (int) Math.round(mlmWeights.castTo(DataType.DOUBLE).sumNumber().doubleValue());
    }

    private static void requireShape(String name, INDArray a, int rank) {
        if (a.rank() != rank) {
            throw new IllegalArgumentException(
                    name + " must have rank " + rank + ", got shape " + java.util.Arrays.toString(a.shape()));
        }
    }

    private static void requireSame(String name, INDArray a, long d0, long d1) {
        if (a.rank() != 2 || a.size(0) != d0 || a.size(1) != d1) {
            throw new IllegalArgumentException(
                    name + " must have shape [" + d0 + "," + d1 + "], got "
                            + java.util.Arrays.toString(a.shape()));
        }
    }
}
