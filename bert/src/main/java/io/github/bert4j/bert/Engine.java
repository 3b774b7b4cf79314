package io.github.bert4j.bert;

/**
 * How BERT steps are computed. Both engines compute the same function and the same gradients
 * (tested against each other in double precision, dropout masks included, and against PyTorch).
 */
public enum Engine {
    /**
     * The default: the encoder and heads as eager ND4J ops on buffers allocated once per batch
     * shape, with a hand-derived backward pass ({@code EagerEncoder}). Several times faster than
     * the graph and flat in memory.
     */
    EAGER,
    /**
     * The SameDiff graph ({@link BertEncoder#build}) and SameDiff's automatic differentiation: the
     * reference, and the way to stack a head written in SameDiff.
     */
    GRAPH
}
