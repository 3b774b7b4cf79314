package io.github.bert4j.core.train;

import java.util.Iterator;

/**
 * The training data as a deterministic sequence of batches per epoch. The same {@code (epoch,
 * seed)} must always give the same batches in the same order, so that a resumed run can skip the
 * batches it has already consumed and continue exactly where it stopped.
 */
public interface BatchSource<B> {

    /** The batches of epoch {@code epoch} (0-based), shuffled with a generator derived from seed. */
    Iterator<B> epoch(int epoch, long seed);

    /** Number of batches per epoch if known, else -1 (for progress bars and schedules). */
    default long batchesPerEpoch() {
        return -1;
    }

    /**
     * The example order of epoch {@code epoch}: {@code 0..n-1}, Fisher-Yates shuffled (when {@code
     * shuffle}) by a generator that depends only on {@code (seed, epoch)} (the epoch-th split of a
     * {@code SplittableRandom(seed)}), so every epoch of a resumed run sees the order it would have.
     */
    static int[] epochOrder(int n, int epoch, long seed, boolean shuffle) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
            for (int e = 0; e < epoch; e++) {
                rnd = rnd.split();
            }
            rnd = rnd.split();
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }
}
