package io.github.bert4j.bert;

import io.github.bert4j.bert.eager.EagerEngine;
import io.github.bert4j.bert.graph.GraphEngine;

/**
 * The encoder engines. Both compute the same function and the same gradients (tested against each
 * other in double precision, dropout masks included, and against PyTorch); the heads are written
 * once on {@link EncoderPass} and run on either.
 */
public enum Engine {
    /**
     * The default: the encoder as eager ND4J ops and bert4j's kernels on buffers allocated once per
     * batch shape, with a hand-derived backward pass. Several times faster than the graph and flat
     * in memory.
     */
    EAGER(4),
    /**
     * The SameDiff graph ({@link BertEncoder#build}) and SameDiff's automatic differentiation: the
     * reference the eager engine is checked against.
     */
    GRAPH(1);

    private final int stepsBetweenCollections;

    Engine(int stepsBetweenCollections) {
        this.stepsBetweenCollections = stepsBetweenCollections;
    }

    /** A new engine of this kind over {@code encoder}'s parameters. */
    public EncoderEngine create(BertEncoder encoder) {
        return this == EAGER ? new EagerEngine(encoder) : new GraphEngine(encoder);
    }

    /**
     * How many training steps a loop should let pass between {@code System.gc()} calls (ND4J frees
     * native memory only at collection). The graph allocates fresh arrays for every op: collect after
     * each step. The eager engine reuses its buffers and leaves only gradients and small temporaries
     * (~50 MB at the seed shape): every 4th step saved 3% of the step time for +0.3 GB peak RSS.
     */
    public int stepsBetweenCollections() {
        return stepsBetweenCollections;
    }
}
