package io.github.bert4j.bert;

import io.github.bert4j.bert.eager.kernels.EmbeddingLookup;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One batch as the encoder reads it: {@code B} sequences of length {@code T}, ids and token types
 * flat row-major ({@code [B*T]}, entry {@code b*T + t}) and the {@code [B,T]} attention mask (1 real,
 * 0 padding; null = every position real). Built once per batch and handed to an {@link EncoderEngine}.
 *
 * @param inputIds token ids, {@code [B*T]}
 * @param tokenTypeIds segment ids, {@code [B*T]}
 * @param attentionMask {@code [B,T]}, or null for all real
 * @param batchSize B
 * @param length T
 */
public record EncoderInputs(int[] inputIds, int[] tokenTypeIds, INDArray attentionMask, int batchSize, int length) {
    public EncoderInputs {
        if (batchSize < 1 || length < 1) {
            throw new IllegalArgumentException("a batch needs B >= 1 sequences of length T >= 1, got B=" + batchSize
                    + " T=" + length);
        }
        int n = batchSize * length;
        if (inputIds.length != n || tokenTypeIds.length != n) {
            throw new IllegalArgumentException("input_ids and token_type_ids must have B*T = " + n + " entries, got "
                    + inputIds.length + " and " + tokenTypeIds.length);
        }
        if (attentionMask != null && (attentionMask.rank() != 2 || attentionMask.size(0) != batchSize
                || attentionMask.size(1) != length)) {
            throw new IllegalArgumentException("attention_mask must have the shape of input_ids [" + batchSize + ","
                    + length + "], got " + java.util.Arrays.toString(attentionMask.shape()));
        }
    }

    /**
     * From {@code [B,T]} arrays: integer ids, segment ids (null = all 0) and the attention mask
     * (null = all real).
     */
    public static EncoderInputs of(INDArray inputIds, INDArray tokenTypeIds, INDArray attentionMask) {
        if (inputIds.rank() != 2) {
            throw new IllegalArgumentException("input_ids must be [B,T], got rank " + inputIds.rank());
        }
        int b = (int) inputIds.size(0);
        int t = (int) inputIds.size(1);
        int[] ids = EmbeddingLookup.flatInts(inputIds);
        int[] types;
        if (tokenTypeIds == null) {
            types = new int[ids.length];
        } else {
            if (tokenTypeIds.rank() != 2 || tokenTypeIds.size(0) != b || tokenTypeIds.size(1) != t) {
                throw new IllegalArgumentException("token_type_ids must have the shape of input_ids [" + b + "," + t + "]");
            }
            types = EmbeddingLookup.flatInts(tokenTypeIds);
        }
        return new EncoderInputs(ids, types, attentionMask, b, t);
    }

    /** {@code N = B*T}, the rows of the hidden states. */
    public int tokens() {
        return batchSize * length;
    }
}
