package io.github.bert4j.bert.eager.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.bert.BertEncoder;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class KernelBackendTest {

    @Test
    void theBackendIsChosenOncePerTypeAndDoublePrecisionRunsTheNd4jReference() {
        // the tests run with --add-modules jdk.incubator.vector on the CPU backend
        assertThat(Kernels.backend(DataType.FLOAT)).isEqualTo(KernelBackend.VECTOR_API).isSameAs(Kernels.backend(DataType.FLOAT));
        assertThat(BertEncoder.vectorKernels()).isTrue();
        assertThat(Kernels.backend(DataType.DOUBLE)).isEqualTo(KernelBackend.ND4J);
        assertThat(Kernels.backend(DataType.HALF)).isEqualTo(KernelBackend.ND4J);
    }
}
