package io.github.bert4j.bert;

/**
 * {@link GradientCheckTest} on the SameDiff graph with the explicit attention path (matmul,
 * additive mask, softmax: the path training with attention dropout takes).
 */
class ExplicitAttentionGradientCheckTest extends GradientCheckTest {
    @Override
    boolean fusedAttention() {
        return false;
    }

    @Override
    Engine engine() {
        return Engine.GRAPH;
    }
}
