/**
 * The eager engine ({@link io.github.bert4j.bert.Engine#EAGER}, the default): the encoder's
 * forward and backward pass written directly in ND4J ops and the kernels of {@code
 * bert.eager.kernels}, into buffers allocated once per batch shape and reused ({@link
 * io.github.bert4j.bert.eager.NativeBuffers}). Reached through {@link
 * io.github.bert4j.bert.BertEncoder#forward}; nothing here is needed to use it.
 */
package io.github.bert4j.bert.eager;
