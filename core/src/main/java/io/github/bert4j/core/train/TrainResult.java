package io.github.bert4j.core.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * What {@link Trainer#fit()} did.
 *
 * @param steps optimizer steps completed in total (including those before a resume)
 * @param lastTrain training metrics of the last logging interval ({@code train_loss}, ...)
 * @param bestValid validation metrics of the best evaluation ({@code valid_loss}, ...), empty if
 *     there was no evaluation
 * @param bestDir the best checkpoint, or null if none was saved
 * @param lastDir the last checkpoint
 * @param seconds wall-clock time of this call
 * @param tokens tokens processed in this call
 */
public record TrainResult(
        long steps,
        Map<String, Double> lastTrain,
        Map<String, Double> bestValid,
        Path bestDir,
        Path lastDir,
        double seconds,
        long tokens) {
    public TrainResult {
        lastTrain = Map.copyOf(lastTrain);
        bestValid = Map.copyOf(bestValid);
    }
}
