package io.github.bert4j.bert.eager.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which implementation of the kernels runs, decided once per JVM by {@link Kernels#backend}: the
 * way a tensor library picks its operations provider at start-up rather than at every call.
 */
public enum KernelBackend {
    /**
     * Attention in {@link AttentionKernels} (Java Vector API) and the row-wise {@link FusedKernels}:
     * float32 on the CPU backend, the JVM started with {@code --add-modules jdk.incubator.vector}
     * and neither {@code -Dbert4j.fusedKernels=false} nor {@code -Dbert4j.vectorKernels=false}.
     */
    VECTOR_API,
    /** {@link FusedKernels} for LayerNorm, GELU and embeddings; attention as ND4J batched matmuls. */
    FUSED,
    /** ND4J ops only: double precision, {@code -Dbert4j.fusedKernels=false}, and every non-CPU backend (CUDA). */
    ND4J;

    /** The backend of float32 arrays in this JVM (computed once). */
    static final KernelBackend FLOAT = FusedKernels.VECTOR_API && FusedKernels.enabledFor(DataType.FLOAT) ? VECTOR_API
            : FusedKernels.enabledFor(DataType.FLOAT) ? FUSED : ND4J;

    static KernelBackend of(DataType type) {
        return type == DataType.FLOAT && Nd4j.getEnvironment().isCPU() ? FLOAT : ND4J;
    }
}
