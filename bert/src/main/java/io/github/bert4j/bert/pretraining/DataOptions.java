package io.github.bert4j.bert.pretraining;

/**
 * How {@link PretrainingData} turns shards into batches.
 *
 * @param maxLen maximum sequence length including special tokens (128)
 * @param shortSeqProb probability of a shorter random target length per document (0.1)
 * @param nspProb probability that segment B comes from another document (0.5)
 * @param maskRatio fraction of non-special tokens to predict (0.15)
 * @param maxPredictions cap on masked positions per sequence (20 for 128)
 * @param wholeWordMasking mask whole words over {@code ##} pieces
 * @param dynamicMasking fresh masks every epoch (true) or one fixed set of masks (false)
 * @param regenerateInstances new pairs every epoch, like Google's {@code dupe_factor} spread over
 *     epochs (true), or one fixed set of pairs (false)
 * @param microBatchSize sequences per yielded batch ({@code batch_size / grad_accumulation})
 * @param shardsPerGroup shards loaded and shuffled together (the memory/shuffle-quality trade-off)
 * @param padToMaxLen pad every batch to {@code maxLen} (true) or to its longest sequence (false,
 *     cheaper)
 */
public record DataOptions(int maxLen, double shortSeqProb, double nspProb, double maskRatio, int maxPredictions,
                          boolean wholeWordMasking, boolean dynamicMasking, boolean regenerateInstances,
                          int microBatchSize, int shardsPerGroup, boolean padToMaxLen) {

    public DataOptions {
        if (microBatchSize < 1 || shardsPerGroup < 1) {
            throw new IllegalArgumentException("microBatchSize and shardsPerGroup must be >= 1, got "
                    + microBatchSize + ", " + shardsPerGroup);
        }
    }

    /** BERT's defaults for {@code maxLen} and a micro-batch size: 0.1 / 0.5 / 0.15 / 20 (scaled with maxLen). */
    public static DataOptions defaults(int maxLen, int microBatchSize) {
        return new DataOptions(maxLen, 0.1, 0.5, 0.15, Math.max(1, (int) Math.ceil(maxLen * 0.15)),
                false, true, true, microBatchSize, 8, false);
    }

    /** The same options with fixed pairs and fixed masks (for validation data). */
    public DataOptions fixed() {
        return new DataOptions(maxLen, shortSeqProb, nspProb, maskRatio, maxPredictions, wholeWordMasking,
                false, false, microBatchSize, shardsPerGroup, padToMaxLen);
    }

    public DataOptions withMicroBatchSize(int size) {
        return new DataOptions(maxLen, shortSeqProb, nspProb, maskRatio, maxPredictions, wholeWordMasking,
                dynamicMasking, regenerateInstances, size, shardsPerGroup, padToMaxLen);
    }
}
