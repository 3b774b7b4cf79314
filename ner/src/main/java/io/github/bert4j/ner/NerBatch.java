package io.github.bert4j.ner;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One (micro-)batch for {@link BertCrfTagger}: B windows padded to length T.
 *
 * @param inputIds {@code [B,T]} INT32 token ids ({@code [CLS] ... [SEP]} then padding)
 * @param attentionMask {@code [B,T]} FLOAT, 1 for real tokens (a contiguous prefix), 0 for padding;
 *     also the CRF's mask
 * @param tags {@code [B,T]} INT32 gold tag indices ({@code O} at [CLS], [SEP] and padding)
 * @param realTokens number of non-padding tokens
 */
public record NerBatch(INDArray inputIds, INDArray attentionMask, INDArray tags, long realTokens) implements AutoCloseable {

    /** Frees the native memory of the three arrays now (a batch that is done with). */
    @Override
    public void close() {
        for (INDArray a : new INDArray[] {inputIds, attentionMask, tags}) {
            if (a != null && !a.wasClosed() && a.closeable()) {
                a.close();
            }
        }
    }

    public int batchSize() {
        return (int) inputIds.size(0);
    }

    public int length() {
        return (int) inputIds.size(1);
    }
}
