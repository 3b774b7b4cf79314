package io.github.bert4j.core.train;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The result of one training step on one (micro-)batch.
 *
 * @param loss the mean loss over the batch (what the gradients are gradients of)
 * @param gradients d loss / d parameter, by parameter name; arrays are owned by the trainer after
 *     return (it may accumulate into them)
 * @param metrics additive metric sums of this batch (e.g. {@code mlm_correct}, {@code
 *     mlm_count}); the trainer sums them over an interval and reports ratios defined by the model
 * @param tokens number of input tokens processed (for tokens/s), padding excluded
 * @param examples number of examples in the batch (used to weight micro-batches when accumulating)
 */
public record StepOutput(
        double loss, Map<String, INDArray> gradients, Metrics metrics, long tokens, int examples) {}
