package io.github.bert4j.bert;

import io.github.bert4j.bert.pretraining.data.PretrainingBatch;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded random pretraining batches with padding, two segments and masked positions. */
final class TestBatches {
    private TestBatches() {}

    /**
     * {@code b} sequences padded to {@code t}; sequence i has length {@code t - 3*i} (at least 6),
     * ids in [5, vocab) with deliberate repeats, segment B starting halfway; up to {@code p}
     * predictions per sequence (the last one of odd rows is padding).
     */
    static PretrainingBatch random(int b, int t, int p, int vocab, long seed) {
        Random r = new Random(seed);
        int[][] ids = new int[b][t];
        int[][] types = new int[b][t];
        int[][] mask = new int[b][t];
        int[][] pos = new int[b][p];
        int[][] labels = new int[b][p];
        float[][] weights = new float[b][p];
        int[] nsp = new int[b];
        for (int i = 0; i < b; i++) {
            int len = Math.max(6, t - 3 * i);
            int half = len / 2;
            for (int j = 0; j < len; j++) {
                ids[i][j] = r.nextInt(4) == 0 ? 7 : 5 + r.nextInt(vocab - 5); // id 7 repeats often
                types[i][j] = j >= half ? 1 : 0;
                mask[i][j] = 1;
            }
            ids[i][0] = 2;           // [CLS]
            ids[i][half - 1] = 3;    // [SEP]
            ids[i][len - 1] = 3;     // [SEP]
            // padding stays id 0, type 0, mask 0
            int used = i % 2 == 1 ? p - 1 : p;
            boolean[] taken = new boolean[len];
            for (int k = 0; k < used; k++) {
                int q;
                do {
                    q = 1 + r.nextInt(len - 2);
                } while (taken[q]);
                taken[q] = true;
                pos[i][k] = q;
                labels[i][k] = ids[i][q];
                weights[i][k] = 1f;
                ids[i][q] = 4; // [MASK]
            }
            nsp[i] = r.nextInt(2);
        }
        return new PretrainingBatch(Nd4j.createFromArray(ids), Nd4j.createFromArray(types),
                Nd4j.createFromArray(mask), Nd4j.createFromArray(pos), Nd4j.createFromArray(labels),
                Nd4j.createFromArray(weights), Nd4j.createFromArray(nsp).castTo(DataType.INT));
    }

    /** {@code batch} with the given rows turned into MLM-only sequences (NSP label {@code -1}). */
    static PretrainingBatch withMlmOnlyRows(PretrainingBatch batch, int... rows) {
        int[] nsp = batch.nspLabels().castTo(DataType.INT).toIntVector();
        for (int r : rows) {
            nsp[r] = -1;
        }
        return new PretrainingBatch(batch.inputIds(), batch.tokenTypeIds(), batch.attentionMask(), batch.mlmPositions(),
                batch.mlmLabels(), batch.mlmWeights(), Nd4j.createFromArray(nsp));
    }

    /** The sub-batch of {@code rows} (in that order). */
    static PretrainingBatch rows(PretrainingBatch batch, int... rows) {
        long[] idx = java.util.Arrays.stream(rows).asLongStream().toArray();
        org.nd4j.linalg.indexing.INDArrayIndex pick = org.nd4j.linalg.indexing.NDArrayIndex.indices(idx);
        org.nd4j.linalg.indexing.INDArrayIndex all = org.nd4j.linalg.indexing.NDArrayIndex.all();
        return new PretrainingBatch(batch.inputIds().get(pick, all).dup(), batch.tokenTypeIds().get(pick, all).dup(),
                batch.attentionMask().get(pick, all).dup(), batch.mlmPositions().get(pick, all).dup(),
                batch.mlmLabels().get(pick, all).dup(), batch.mlmWeights().get(pick, all).dup(),
                batch.nspLabels().get(pick).dup());
    }
}
