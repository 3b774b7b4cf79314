package io.github.bert4j.bert;

/**
 * {@link GradientCheckTest} with the explicit attention path (matmul, additive mask, softmax, the
 * path training with attention dropout takes) instead of the fused {@code dot_product_attention}.
 */
class ExplicitAttentionGradientCheckTest extends GradientCheckTest {
    @Override
    boolean fusedAttention() {
        return false;
    }
}
