package io.github.bert4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertPreTrainingModel;
import io.github.bert4j.bert.pretraining.data.PretrainingBatch;
import io.github.bert4j.core.tracking.RunTracker;
import io.github.bert4j.core.train.BatchSource;
import io.github.bert4j.core.train.TrainResult;
import io.github.bert4j.core.train.Trainer;
import io.github.bert4j.core.train.TrainingConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Data-parallel training on Spark equals single-process gradient accumulation over the same
 * micro-batches (to float rounding: only the order of additions differs), with 2 and 4
 * partitions, across a resume, and when a task fails once and Spark retries it.
 */
class DataParallelTrainingTest {

    static final int VOCAB = 40;
    static final int MICRO = 4; // micro-batches per step (global batch G = 4 x 3 sequences)
    static final long STEPS = 4;
    static final BertConfig CONFIG = BertConfig.of(VOCAB, 16, 1, 2, 24, 16);
    /** Failures the hook has injected (static: in local mode tasks run in this JVM). */
    static final AtomicInteger FAILED = new AtomicInteger();

    static SparkSession spark;
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        spark = SparkTests.start("DataParallelTrainingTest");
        sc = SparkTests.context(spark);
    }

    @AfterAll
    static void stop() {
        SparkGradients.releaseLocalModels();
        spark.stop();
    }

    @TempDir
    Path tmp;

    @Test
    void twoAndFourPartitionsEqualSingleProcessAccumulation() {
        Map<String, float[]> single = train(tmp.resolve("single"), null, STEPS, false);
        Map<String, float[]> two = train(tmp.resolve("two"), gradients(2), STEPS, false);
        Map<String, float[]> four = train(tmp.resolve("four"), gradients(4), STEPS, false);
        SparkTests.assertClose(two, single);
        SparkTests.assertClose(four, single);
        Map<String, float[]> init = initial();
        assertThat(SparkTests.maxRelativeDifference(single, init)).as("training moved the parameters").isGreaterThan(1e-3);
    }

    @Test
    void resumeAfterAStopMidRunGivesTheSameParameters() {
        Map<String, float[]> straight = train(tmp.resolve("straight"), gradients(2), STEPS, false);
        Path run = tmp.resolve("stopped");
        // step 3's tasks fail on every attempt: the job fails, the run stops with last/ at step 2
        SparkGradients<PretrainingBatch> failing = gradients(2).hook((step, micro) -> {
            if (step == 2) {
                throw new IllegalStateException("injected: executor lost");
            }
        });
        assertThatThrownBy(() -> train(run, failing, STEPS, false)).hasStackTraceContaining("injected: executor lost");
        Map<String, float[]> resumed = train(run, gradients(2), STEPS, true);
        SparkTests.assertClose(resumed, straight);
    }

    @Test
    void aTaskThatFailsOnceIsRetriedWithoutCorruptingTheStep() {
        Map<String, float[]> clean = train(tmp.resolve("clean"), gradients(2), STEPS, false);
        FAILED.set(0);
        SparkGradients<PretrainingBatch> flaky = gradients(2).hook((step, micro) -> {
            // the second micro-batch of step 2 has been added to its partition's sums when the third fails
            if (step == 1 && micro == 3 && FAILED.getAndIncrement() == 0) {
                throw new IllegalStateException("injected: task fails once");
            }
        });
        Map<String, float[]> retried = train(tmp.resolve("retried"), flaky, STEPS, false);
        assertThat(FAILED.get()).as("the failure was injected and the task ran again").isEqualTo(2);
        assertThat(retried.keySet()).isEqualTo(clean.keySet());
        retried.forEach((k, v) -> assertThat(v).as(k).containsExactly(clean.get(k)));
    }

    static SparkGradients<PretrainingBatch> gradients(int partitions) {
        return SparkGradients.pretraining(sc, CONFIG, true, true, partitions);
    }

    static TrainingConfig config() {
        return TrainingConfig.builder().maxSteps(STEPS).batchSize(3).gradAccumulation(MICRO).lr(1e-2).warmupSteps(1)
                .maxGradNorm(1.0).weightDecay(0.01).seed(7).logEvery(1).saveEvery(2).evalEvery(0).build();
    }

    /** Trains a fresh model (same initialisation every time) and returns its parameters. */
    static Map<String, float[]> train(Path out, SparkGradients<PretrainingBatch> spark, long steps, boolean resume) {
        try (BertPreTrainingModel model = BertPreTrainingModel.create(CONFIG, 11, DataType.FLOAT, true, true)) {
            Trainer<PretrainingBatch> t = new Trainer<>(config(), model, new Batches(), null, RunTracker.noop(), out).resume(resume);
            if (spark != null) {
                t.accumulator(spark);
            }
            TrainResult r = t.fit();
            assertThat(r.steps()).isEqualTo(steps);
            return SparkTests.values(model.parameters());
        }
    }

    static Map<String, float[]> initial() {
        try (BertPreTrainingModel model = BertPreTrainingModel.create(CONFIG, 11, DataType.FLOAT, true, true)) {
            return SparkTests.values(model.parameters());
        }
    }

    /** Ten micro-batches of three random sequences per epoch, the same for every (epoch, seed). */
    static final class Batches implements BatchSource<PretrainingBatch> {
        static final int PER_EPOCH = 10;

        @Override
        public Iterator<PretrainingBatch> epoch(int epoch, long seed) {
            List<PretrainingBatch> list = new ArrayList<>();
            Random r = new Random(seed * 31 + epoch);
            for (int i = 0; i < PER_EPOCH; i++) {
                list.add(batch(r, 3, 12, 3));
            }
            return list.iterator();
        }

        @Override
        public long batchesPerEpoch() {
            return PER_EPOCH;
        }

        static PretrainingBatch batch(Random r, int b, int t, int p) {
            int[] ids = new int[b * t];
            int[] types = new int[b * t];
            float[] mask = new float[b * t];
            int[] pos = new int[b * p];
            int[] labels = new int[b * p];
            float[] weights = new float[b * p];
            int[] nsp = new int[b];
            for (int s = 0; s < b; s++) {
                int len = t - r.nextInt(4);
                for (int j = 0; j < t; j++) {
                    boolean real = j < len;
                    ids[s * t + j] = real ? 5 + r.nextInt(VOCAB - 5) : 0;
                    types[s * t + j] = real && j >= len / 2 ? 1 : 0;
                    mask[s * t + j] = real ? 1 : 0;
                }
                for (int k = 0; k < p; k++) {
                    int at = 1 + r.nextInt(len - 1);
                    pos[s * p + k] = at;
                    labels[s * p + k] = 5 + r.nextInt(VOCAB - 5);
                    weights[s * p + k] = k < p - 1 || r.nextBoolean() ? 1 : 0;
                }
                nsp[s] = r.nextInt(2);
            }
            return new PretrainingBatch(Nd4j.createFromArray(ids).reshape(b, t), Nd4j.createFromArray(types).reshape(b, t),
                    Nd4j.create(mask, new long[] {b, t}, 'c'), Nd4j.createFromArray(pos).reshape(b, p),
                    Nd4j.createFromArray(labels).reshape(b, p), Nd4j.create(weights, new long[] {b, p}, 'c'),
                    Nd4j.createFromArray(nsp));
        }
    }
}
