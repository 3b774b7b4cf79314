package io.github.bert4j.ner;

import io.github.bert4j.core.train.BatchSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Shuffled micro-batches of {@link NerExample}s. Epoch {@code e} with seed {@code s} is always the
 * same sequence of batches (a permutation drawn from {@code SplittableRandom(s).split()} e + 1
 * times), so resumed runs can skip what they consumed. Each batch is padded to the smallest
 * multiple of {@code bucket} that holds its longest window (the CRF graph is built per padded
 * length, so few distinct lengths keep few graphs).
 */
public final class NerBatches implements BatchSource<NerBatch> {

    private final List<NerExample> examples;
    private final int batchSize;
    private final int bucket;
    private final int padId;
    private final int outside;
    private final boolean shuffle;

    /**
     * @param bucket padded lengths are multiples of this (e.g. 32)
     * @param padId the vocabulary's [PAD] id
     * @param outside the tag index of {@code O} (used at padding)
     * @param shuffle false keeps file order (evaluation)
     */
    public NerBatches(List<NerExample> examples, int batchSize, int bucket, int padId, int outside, boolean shuffle) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        if (batchSize < 1 || bucket < 1) {
            throw new IllegalArgumentException("batch size and bucket must be >= 1");
        }
        this.examples = List.copyOf(examples);
        this.batchSize = batchSize;
        this.bucket = bucket;
        this.padId = padId;
        this.outside = outside;
        this.shuffle = shuffle;
    }

    @Override
    public Iterator<NerBatch> epoch(int epoch, long seed) {
        int n = examples.size();
        int[] order = BatchSource.epochOrder(n, epoch, seed, shuffle);
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < n;
            }

            @Override
            public NerBatch next() {
                int end = Math.min(n, next + batchSize);
                List<NerExample> chunk = new ArrayList<>(end - next);
                for (int i = next; i < end; i++) {
                    chunk.add(examples.get(order[i]));
                }
                next = end;
                return batch(chunk, bucket, padId, outside);
            }
        };
    }

    @Override
    public long batchesPerEpoch() {
        return (examples.size() + batchSize - 1) / batchSize;
    }

    /** Pads examples into one batch of length {@code ceil(max / bucket) * bucket}. */
    public static NerBatch batch(List<NerExample> chunk, int bucket, int padId, int outside) {
        int max = 0;
        for (NerExample e : chunk) {
            max = Math.max(max, e.length());
        }
        int t = (max + bucket - 1) / bucket * bucket;
        int b = chunk.size();
        int[][] ids = new int[b][t];
        int[][] tags = new int[b][t];
        float[][] mask = new float[b][t];
        long real = 0;
        for (int i = 0; i < b; i++) {
            NerExample e = chunk.get(i);
            java.util.Arrays.fill(ids[i], padId);
            java.util.Arrays.fill(tags[i], outside);
            System.arraycopy(e.ids(), 0, ids[i], 0, e.length());
            System.arraycopy(e.tags(), 0, tags[i], 0, e.length());
            java.util.Arrays.fill(mask[i], 0, e.length(), 1f);
            real += e.length();
        }
        return new NerBatch(Nd4j.createFromArray(ids), Nd4j.createFromArray(mask).castTo(DataType.FLOAT),
                Nd4j.createFromArray(tags), real);
    }
}
