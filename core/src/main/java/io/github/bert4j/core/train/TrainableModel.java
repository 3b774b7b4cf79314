package io.github.bert4j.core.train;

import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the {@link Trainer} optimises: a set of named parameters and a step that computes the loss
 * and the gradient of every parameter on one (micro-)batch.
 *
 * <p>The trainer knows nothing about graphs: a model may compute some gradients outside SameDiff
 * (for example the word-embedding table, whose gradient is the placeholder gradient of the looked
 * up rows, scatter-added). Gradients are returned under the same names as {@link #parameters()}.
 *
 * @param <B> the batch type (a record of arrays)
 */
public interface TrainableModel<B> {

    /**
     * The live parameter arrays by name (HuggingFace names for BERT), in a stable order. The
     * optimizer updates these arrays in place; the model must read them on every step.
     */
    Map<String, INDArray> parameters();

    /**
     * Forward and backward pass on one batch in training mode (dropout on). The random generator
     * of ND4J has been seeded by the trainer before this call, so dropout is reproducible.
     *
     * @return the mean loss of this batch, its gradients (one per parameter, same shape; a missing
     *     entry means a zero gradient) and metric sums
     */
    StepOutput trainStep(B batch);

    /**
     * Writes what is needed to rebuild the model without the trainer: at least {@code
     * config.json} and {@code model.safetensors} in {@code dir} (already existing, empty). The
     * trainer moves the directory into place atomically afterwards.
     */
    void save(Path dir) throws java.io.IOException;

    /**
     * The factor by which the scheduled learning rate is multiplied for parameter {@code name}
     * (parameter groups): 1 by default. Fine-tuning models use it for a head learning rate larger
     * than the encoder's, or layer-wise learning-rate decay. Must be finite and non-negative.
     */
    default double learningRateScale(String name) {
        return 1.0;
    }
}
