package io.github.bert4j.core.train;

import java.util.List;

/**
 * Computes one optimizer step's gradient from its micro-batches, as {@link Trainer} does locally:
 * before micro-batch {@code i} ND4J's generator is seeded with {@link Trainer#microStepSeed(long,
 * long, int) microStepSeed(seed, completedSteps, i)}; with one micro-batch its loss and gradients
 * are the result, with several the example-weighted means. Used through {@link
 * Trainer#accumulator(GradientAccumulator)}, e.g. to spread the micro-batches over a cluster.
 *
 * @param <B> the batch type
 */
@FunctionalInterface
public interface GradientAccumulator<B> {

    /**
     * @param model the trainer's model (its {@link TrainableModel#parameters()} are the current values)
     * @param group the step's micro-batches, in order
     * @param completedSteps optimizer steps done before this one
     * @param seed the training seed
     * @throws TrainingDivergedException on a non-finite loss
     */
    Trainer.Accumulated accumulate(TrainableModel<B> model, List<B> group, long completedSteps, long seed);
}
