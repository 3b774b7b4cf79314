package io.github.bert4j.spark;

import io.github.bert4j.ner.NerConfig;
import io.github.bert4j.ner.NerFineTuning;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A whole NER fine-tuning run on Spark: {@link NerFineTuning} (what {@code bert4j finetune-ner} runs)
 * with every step's gradient computed by {@link SparkGradients#ner} over {@code partitions} tasks.
 * Global batch = {@code batch_size × grad_accumulation} windows as in a single process (each task
 * accumulates {@code grad_accumulation / partitions} micro-batches locally). Everything else is the
 * single-machine run on the driver: reading and windowing the KLUE data, the shuffled batches,
 * AdamW, schedule, clipping, the validation every epoch, the {@code checkpoints/last} and {@code
 * best} directories, {@code --resume}, MLflow tracking, {@code eval.json} and the final model
 * directory. The data are small enough for the driver (KLUE NER train: 21k sentences); only the
 * forward and backward passes, which are the cost, run on the executors.
 */
public final class SparkNerFineTuning {

    private SparkNerFineTuning() {
    }

    /**
     * @param output the model directory to write (as {@code bert4j finetune-ner --output})
     * @param resume continue from {@code output/checkpoints/last}
     * @param overwrite without resume, delete an earlier run's checkpoints instead of refusing to start
     * @param partitions tasks per step
     */
    public static NerFineTuning.Result run(JavaSparkContext sc, NerConfig cfg, Path output, boolean resume, boolean overwrite,
                                         int partitions) throws IOException {
        try {
            return NerFineTuning.run(cfg, output, resume, overwrite, model -> SparkGradients.ner(sc, model.tagger(), partitions));
        } finally {
            SparkGradients.releaseLocalModels();
        }
    }
}
