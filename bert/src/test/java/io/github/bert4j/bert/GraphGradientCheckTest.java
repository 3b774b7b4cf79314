package io.github.bert4j.bert;

/** {@link GradientCheckTest} on the SameDiff graph with the fused {@code dot_product_attention}. */
class GraphGradientCheckTest extends GradientCheckTest {
    @Override
    Engine engine() {
        return Engine.GRAPH;
    }
}
