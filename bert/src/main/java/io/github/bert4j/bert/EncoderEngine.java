package io.github.bert4j.bert;

/**
 * A way of computing the encoder: the eager engine (ND4J ops and bert4j's kernels on reused
 * buffers, hand-derived backward pass) or the SameDiff graph and its automatic differentiation.
 * Each engine computes the same function and the same gradients, dropout masks included (a
 * parameterised contract test runs both through the same checks in double precision), so a head
 * written on {@link EncoderPass} runs on either. {@link Engine} creates them; a {@link BertEncoder}
 * keeps one per {@link BertEncoder.Mode}, so that validation between training steps does not
 * reuse the training pass's buffers.
 *
 * <p>Not thread-safe: {@link BertEncoder} serialises the calls.
 */
public interface EncoderEngine extends AutoCloseable {

    /**
     * A forward pass over {@code inputs}. In {@link BertEncoder.Mode#TRAIN} dropout masks are drawn
     * from {@code Nd4j.getRandom()} in a fixed order (the same on every engine).
     *
     * @throws IllegalArgumentException if the batch is longer than {@code max_position_embeddings}
     *     or an id is out of range
     */
    EncoderPass forward(EncoderInputs inputs, BertEncoder.Mode mode);

    /** Native bytes the engine keeps between passes (buffers, cached graphs' arrays); for diagnostics. */
    long bufferBytes();

    /** Frees what the engine keeps; it may be used again (it allocates anew). */
    @Override
    void close();
}
