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
}
