package io.github.bert4j.bert;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One forward pass of the encoder over a batch, as every head sees it: the last layer's hidden
 * states, the pooled {@code [CLS]} output and, after a {@link BertEncoder.Mode#TRAIN} pass, the way
 * back to the gradient of every encoder parameter. Both engines ({@link Engine}) hand out passes
 * with this contract, tested alike in double precision.
 *
 * <p>A pass lives in its engine's buffers: its arrays are valid, and {@link #backward} may be
 * called, only until the next forward pass of the same engine (a later call throws). Read the
 * arrays, do not modify them.
 * <pre>{@code
 * EncoderPass pass = encoder.forward(EncoderInputs.of(ids, null, mask), BertEncoder.Mode.TRAIN);
 * INDArray h = pass.hidden();                 // [B*T,H], row b*T + t
 * INDArray pooled = pass.pooled();            // [B,H] (computed on first call)
 * ... a head's forward and backward: dLoss/dh [B*T,H], dLoss/dpooled [B,H] (or null) ...
 * Map<String, INDArray> grads = pass.backward(dHidden, dPooled);  // by HuggingFace name
 * }</pre>
 */
public interface EncoderPass {

    /** The batch this pass ran on. */
    EncoderInputs inputs();

    /** Training (dropout on, {@link #backward} allowed) or inference. */
    BertEncoder.Mode mode();

    /** The last layer's hidden states {@code [B*T,H]} (row {@code b*T + t}). */
    INDArray hidden();

    /** The pooler's output {@code tanh(W·h[CLS] + b)}, {@code [B,H]}; computed on the first call. */
    INDArray pooled();

    /**
     * Back-propagates the gradient of a loss with respect to {@link #hidden()} ({@code dHidden},
     * {@code [B*T,H]}, may be overwritten; null = zero) and to {@link #pooled()} ({@code dPooled},
     * {@code [B,H]}; null = the loss does not use it) and returns the gradient of every encoder
     * parameter the loss depends on, by HuggingFace name, in {@link BertEncoder#parameters()}
     * order: the pooler's only when {@code dPooled} is given. Once per training pass.
     *
     * @throws IllegalStateException for an inference pass, a second call, or a pass whose buffers a
     *     later forward pass has reused
     */
    Map<String, INDArray> backward(INDArray dHidden, INDArray dPooled);
}
