package io.github.bert4j.bert.classification;

import io.github.bert4j.bert.BertForSequenceClassification;
import io.github.bert4j.core.train.BatchSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Micro-batches of labelled sequences for the core {@code Trainer}, each padded to its longest
 * sequence. Epoch {@code e} with seed {@code s} is always the same sequence of batches (a
 * permutation drawn from {@code SplittableRandom(s).split()} e + 1 times, as NER's batches), so a
 * resumed run skips exactly what it consumed; without shuffling, the order is the given one.
 */
public final class ClassificationBatches implements BatchSource<BertForSequenceClassification.Batch> {

    private final List<int[]> sequences;
    private final int[] labels;
    private final int batchSize;
    private final int padId;
    private final boolean shuffle;

    /**
     * @param sequences wrapped ids ({@link ClassificationInputs#ids})
     * @param labels class id per sequence
     * @param shuffle false keeps the given order (evaluation)
     */
    public ClassificationBatches(List<int[]> sequences, int[] labels, int batchSize, int padId, boolean shuffle) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        if (labels.length != sequences.size()) {
            throw new IllegalArgumentException(labels.length + " labels for " + sequences.size() + " sequences");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.sequences = List.copyOf(sequences);
        this.labels = labels.clone();
        this.batchSize = batchSize;
        this.padId = padId;
        this.shuffle = shuffle;
    }

    /** The order of epoch {@code epoch}: a permutation of the example indices. */
    int[] order(int epoch, long seed) {
        return BatchSource.epochOrder(sequences.size(), epoch, seed, shuffle);
    }

    @Override
    public Iterator<BertForSequenceClassification.Batch> epoch(int epoch, long seed) {
        int[] order = order(epoch, seed);
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < order.length;
            }

            @Override
            public BertForSequenceClassification.Batch next() {
                if (!hasNext()) throw new NoSuchElementException();
                int end = Math.min(order.length, next + batchSize);
                List<int[]> chunk = new ArrayList<>(end - next);
                int[] y = new int[end - next];
                for (int i = next; i < end; i++) {
                    chunk.add(sequences.get(order[i]));
                    y[i - next] = labels[order[i]];
                }
                next = end;
                return ClassificationInputs.batch(chunk, y, padId);
            }
        };
    }

    @Override
    public long batchesPerEpoch() {
        return (sequences.size() + batchSize - 1) / batchSize;
    }
}
