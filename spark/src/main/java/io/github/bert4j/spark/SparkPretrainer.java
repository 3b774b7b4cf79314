package io.github.bert4j.spark;

import io.github.bert4j.bert.pretraining.PretrainConfig;
import io.github.bert4j.bert.pretraining.Pretrainer;
import io.github.bert4j.core.train.TrainResult;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A whole pretraining run on Spark: the data prepared by {@link SparkPrepare} (tokenizer and
 * shards, reused when already there), then {@link Pretrainer} with every step's gradient computed
 * by {@link SparkGradients} over {@code partitions} tasks. Global batch = {@code batch_size ×
 * grad_accumulation} as in a single process (each task accumulates {@code grad_accumulation /
 * partitions} micro-batches locally). Everything else is the single-machine run on the driver:
 * data order, AdamW, schedule, clipping, validation, the {@code last}/{@code best} checkpoints,
 * {@code --resume}, MLflow tracking and the final model directory.
 */
public final class SparkPretrainer {

    private SparkPretrainer() {
    }

    /** As {@link #run(JavaSparkContext, PretrainConfig, Path, boolean, boolean, int)} without overwriting an earlier run. */
    public static TrainResult run(JavaSparkContext sc, PretrainConfig cfg, Path output, boolean resume, int partitions)
            throws IOException {
        return run(sc, cfg, output, resume, false, partitions);
    }

    /**
     * @param output the output directory, or null for the config's
     * @param overwrite without resume, delete the checkpoints of an earlier run instead of refusing to start
     * @param partitions tasks per step (and for data preparation)
     */
    public static TrainResult run(JavaSparkContext sc, PretrainConfig cfg, Path output, boolean resume, boolean overwrite,
            int partitions) throws IOException {
        Path out = (output != null ? output : Path.of(cfg.output())).toAbsolutePath();
        SparkPrepare.run(sc, cfg, out, partitions);
        try {
            return Pretrainer.run(cfg, out, resume, overwrite, model -> SparkGradients.pretraining(sc, model, cfg.train().trainMlm(),
                    cfg.train().trainNsp(), partitions));
        } finally {
            SparkGradients.releaseLocalModels();
        }
    }
}
