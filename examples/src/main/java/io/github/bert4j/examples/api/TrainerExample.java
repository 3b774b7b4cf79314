package io.github.bert4j.examples.api;

import io.github.bert4j.core.tracking.RunTracker;
import io.github.bert4j.core.train.BatchSource;
import io.github.bert4j.core.train.Evaluator;
import io.github.bert4j.core.train.TrainResult;
import io.github.bert4j.core.train.Trainer;
import io.github.bert4j.core.train.TrainingConfig;
import io.github.bert4j.core.train.TrainableModel;
import java.nio.file.Path;

/** README: train any model with the loop. */
public final class TrainerExample {
    private TrainerExample() {
    }

    // README:begin
    /** Trains your TrainableModel on your BatchSource, tracked as an MLflow run under mlruns/. */
    public static <B> TrainResult train(TrainableModel<B> model, BatchSource<B> data, Evaluator evaluator,
            Path mlruns, Path outputDir) {
        TrainingConfig cfg = TrainingConfig.builder().epochs(3).batchSize(32).lr(1e-3).build();
        // closing the tracker marks the run FINISHED and writes its plots (unclosed, MLflow shows it KILLED)
        try (RunTracker tracker = RunTracker.create(mlruns, "my-experiment", "run-1")) {
            return new Trainer<>(cfg, model, data, evaluator, tracker, outputDir).fit();
        }   // outputDir/last and outputDir/best: checkpoints; resume with .resume(true) before fit()
    }
    // README:end
}
