/**
 * Numerical kernels of the eager engine and the heads, with no knowledge of parameter names or
 * models: arrays in, arrays (or {@link io.github.bert4j.bert.eager.kernels.AffineGradients}) out.
 *
 * <p>{@link io.github.bert4j.bert.eager.kernels.Kernels} is the one dispatch point: the backend is
 * decided once, when the class loads (Java Vector API present and wanted, CPU backend: {@link
 * io.github.bert4j.bert.eager.kernels.FusedKernels} and {@link
 * io.github.bert4j.bert.eager.kernels.AttentionKernels}; otherwise, and on a GPU backend, the ND4J
 * compositions, which are what a CUDA build runs). Per call only the arrays' layout is checked
 * (a fused kernel needs contiguous row-major FLOAT/DOUBLE buffers); both implementations are
 * tested against each other. Public for the engine and heads in sibling packages; internal API,
 * not stable.
 */
package io.github.bert4j.bert.eager.kernels;
