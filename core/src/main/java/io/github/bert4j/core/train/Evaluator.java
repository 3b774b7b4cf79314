package io.github.bert4j.core.train;

import java.util.Map;

/**
 * Computes validation metrics of the model as it is now (inference mode, no dropout). Called by
 * the {@link Trainer} every {@code eval_every} steps and at the end of each epoch. Names are
 * reported with a {@code valid_} prefix added by the trainer.
 */
@FunctionalInterface
public interface Evaluator {
    Map<String, Double> evaluate();
}
