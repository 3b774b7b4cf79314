/**
 * Numerical kernels of the eager engine and the heads, with no knowledge of parameter names or
 * models: arrays in, arrays (or {@link io.github.bert4j.bert.eager.kernels.AffineGradients}) out.
 *
 * <p>{@link io.github.bert4j.bert.eager.kernels.Kernels} is the one dispatch point: {@link
 * io.github.bert4j.bert.eager.kernels.Kernels#backend} gives the {@link
 * io.github.bert4j.bert.eager.kernels.KernelBackend}, decided once per JVM ({@code VECTOR_API}:
 * {@link io.github.bert4j.bert.eager.kernels.AttentionKernels} and {@link
 * io.github.bert4j.bert.eager.kernels.FusedKernels}; {@code FUSED}: the row kernels without the
 * Vector API; {@code ND4J}: the ND4J compositions, which are what a CUDA build and double
 * precision run). Per call only the arrays' layout is checked
 * (a fused kernel needs contiguous row-major FLOAT/DOUBLE buffers); both implementations are
 * tested against each other. Public for the engine and heads in sibling packages; internal API,
 * not stable.
 */
package io.github.bert4j.bert.eager.kernels;
