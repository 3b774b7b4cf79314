package io.github.bert4j.spark;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.BertPreTrainingModel;
import io.github.bert4j.bert.Engine;
import io.github.bert4j.bert.pretraining.data.PretrainingBatch;
import io.github.bert4j.core.train.GradientAccumulator;
import io.github.bert4j.core.train.StepOutput;
import io.github.bert4j.core.train.TrainableModel;
import io.github.bert4j.core.train.Trainer;
import io.github.bert4j.core.train.TrainingDivergedException;
import io.github.bert4j.ner.BertCrfTagger;
import io.github.bert4j.ner.NerBatch;
import io.github.bert4j.ner.data.TagSet;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Synchronous data-parallel gradients on Spark, the way Spark MLlib's {@code GradientDescent}
 * trains: for every optimizer step the driver broadcasts the current parameters, the step's
 * micro-batches are split over {@code partitions} tasks in order, each task computes the gradients
 * of its micro-batches with the eager engine on a model kept per executor thread and adds them up
 * locally (so several micro-batches per partition pay for one broadcast), and {@code
 * treeAggregate} sums the partitions' results. The core {@link Trainer} then clips, steps AdamW,
 * evaluates, tracks and checkpoints on the driver exactly as in a single process. Factories for
 * BERT pretraining ({@link #pretraining}) and BERT+CRF NER fine-tuning ({@link #ner}); any other
 * {@link TrainableModel} needs a {@link ModelFactory} and a {@link BatchCodec}.
 *
 * <p>The math is the single-process trainer's: micro-batch {@code i} of a step runs with ND4J's
 * generator seeded by {@link Trainer#microStepSeed} (same dropout masks), gradients are weighted by
 * examples and divided by the step's examples. Only the order of the float additions differs
 * (within a partition in micro-batch order, then across partitions in Spark's tree), so parameters
 * agree with single-process gradient accumulation to float rounding (~1e-7 relative per step), not
 * bit for bit. A task is a pure function of the broadcast parameters and its micro-batches, so a
 * task Spark retries after a failure returns the same sums.
 *
 * @param <B> the batch type
 */
public final class SparkGradients<B> implements GradientAccumulator<B> {

    /** Turns a batch into something Spark can serialize and back. */
    public interface BatchCodec<B> extends Serializable {
        Serializable encode(B batch);

        B decode(Serializable packed);
    }

    /**
     * Makes the executors' copy of the model (its initial values do not matter: every step
     * overwrites them with the driver's).
     */
    public interface ModelFactory<B> extends Serializable {
        /** Identifies the architecture; models of one key are pooled together. */
        String key();

        TrainableModel<B> create();
    }

    /** Called before each micro-batch on the executor (tests inject failures with it). */
    interface TaskHook extends Serializable {
        void before(long completedSteps, int micro);
    }

    private final JavaSparkContext sc;
    private final ModelFactory<B> factory;
    private final BatchCodec<B> codec;
    private final int partitions;
    private TaskHook hook;
    private long broadcastBytes;

    /**
     * @param partitions how many tasks share each step's micro-batches (at most one per micro-batch)
     */
    public SparkGradients(JavaSparkContext sc, ModelFactory<B> factory, BatchCodec<B> codec, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        this.sc = Objects.requireNonNull(sc, "sc");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.partitions = partitions;
    }

    /** For BERT pretraining (MLM + NSP heads as configured). */
    public static SparkGradients<PretrainingBatch> pretraining(JavaSparkContext sc, BertConfig config, boolean trainMlm,
                                                               boolean trainNsp, int partitions) {
        return new SparkGradients<>(sc, new PretrainingFactory(config.toJson(), trainMlm, trainNsp), new PretrainingCodec(),
                partitions);
    }

    /**
     * For NER fine-tuning of {@code tagger} (BERT + linear + CRF): the executors build a tagger of
     * the same encoder configuration, labels, transition constraints, classifier dropout and
     * engine; its values come from the driver every step.
     */
    public static SparkGradients<NerBatch> ner(JavaSparkContext sc, BertCrfTagger tagger, int partitions) {
        return new SparkGradients<>(sc, new NerFactory(tagger.encoder().config().toJson(), tagger.tags().labels(),
                tagger.bioConstraints(), tagger.dropout(), tagger.engine()), new NerCodec(), partitions);
    }

    SparkGradients<B> hook(TaskHook h) {
        this.hook = h;
        return this;
    }

    /** Bytes of parameters broadcast per step (float32 values), known after the first step. */
    public long broadcastBytesPerStep() {
        return broadcastBytes;
    }

    @Override
    public Trainer.Accumulated accumulate(TrainableModel<B> model, List<B> group, long completedSteps, long seed) {
        Map<String, INDArray> params = model.parameters();
        List<String> names = new ArrayList<>(params.keySet());
        Parameters snapshot = Parameters.of(params);
        broadcastBytes = snapshot.bytes();
        List<Micro> micros = new ArrayList<>(group.size());
        for (int i = 0; i < group.size(); i++) {
            micros.add(new Micro(i, codec.encode(group.get(i))));
        }
        Broadcast<Parameters> bc = sc.broadcast(snapshot);
        GradientPartial total;
        try {
            ModelFactory<B> f = factory;
            BatchCodec<B> c = codec;
            TaskHook h = hook;
            boolean single = group.size() == 1;
            total = sc.parallelize(micros, Math.min(partitions, micros.size())).treeAggregate(new GradientPartial(),
                    (acc, m) -> ExecutorPool.with(f.key(), () -> new Worker<>(f.create()), w -> {
                        if (h != null) {
                            h.before(completedSteps, m.index());
                        }
                        w.apply(bc.value());
                        Nd4j.getRandom().setSeed(Trainer.microStepSeed(seed, completedSteps, m.index()));
                        StepOutput out = w.model.trainStep(c.decode(m.batch()));
                        return acc.add(out, m.index(), single, names);
                    }),
                    GradientPartial::merge, 2);
        } finally {
            bc.destroy();
        }
        if (total.badMicro >= 0) {
            throw new TrainingDivergedException(completedSteps + 1, "loss", "loss " + total.badLoss + " on micro-batch "
                    + total.badMicro);
        }
        if (total.microBatches != group.size()) {
            throw new IllegalStateException("step " + (completedSteps + 1) + ": Spark returned " + total.microBatches
                    + " micro-batches of " + group.size());
        }
        Map<String, INDArray> grads = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            float[] g = total.grads == null ? null : total.grads[i];
            if (g != null) {
                INDArray a = Nd4j.create(g, params.get(names.get(i)).shape(), 'c');
                grads.put(names.get(i), group.size() > 1 ? a.divi(total.examples) : a);
            }
        }
        return new Trainer.Accumulated(total.lossSum / total.examples, grads, total.toMetrics(), total.tokens, total.examples);
    }

    /** Drops the models pooled in this JVM (executors drop theirs with the application). */
    public static void releaseLocalModels() {
        ExecutorPool.clear("train:");
    }

    /** One micro-batch of a step, with its position in the step. */
    record Micro(int index, Serializable batch) implements Serializable {}

    /** The driver's parameter values of one step, in order, with an id the executors compare against. */
    record Parameters(String version, String[] names, float[][] values) implements Serializable {
        static Parameters of(Map<String, INDArray> params) {
            String[] names = params.keySet().toArray(String[]::new);
            float[][] values = new float[names.length][];
            for (int i = 0; i < names.length; i++) {
                INDArray p = params.get(names[i]);
                if (p.dataType() != DataType.FLOAT) {
                    throw new IllegalArgumentException("parameter " + names[i] + " is " + p.dataType()
                            + "; data-parallel training ships float32 parameters");
                }
                values[i] = p.dup('c').data().asFloat();
            }
            return new Parameters(UUID.randomUUID().toString(), names, values);
        }

        long bytes() {
            long n = 0;
            for (float[] v : values) {
                n += 4L * v.length;
            }
            return n;
        }
    }

    /** An executor's model and the parameter version it holds. */
    static final class Worker<B> implements AutoCloseable {
        final TrainableModel<B> model;
        private String version;

        Worker(TrainableModel<B> model) {
            this.model = model;
        }

        void apply(Parameters p) {
            if (p.version().equals(version)) {
                return;
            }
            Map<String, INDArray> mine = model.parameters();
            if (mine.size() != p.names().length) {
                throw new IllegalStateException("executor model has " + mine.size() + " parameters, the driver's " + p.names().length);
            }
            for (int i = 0; i < p.names().length; i++) {
                INDArray a = mine.get(p.names()[i]);
                if (a == null) {
                    throw new IllegalStateException("executor model lacks parameter " + p.names()[i]);
                }
                a.assign(Nd4j.create(p.values()[i], a.shape(), 'c'));
            }
            version = p.version();
        }

        @Override
        public void close() throws Exception {
            if (model instanceof AutoCloseable c) {
                c.close();
            }
        }
    }

    /** Executors' BERT pretraining model, from the config JSON. */
    record PretrainingFactory(String configJson, boolean trainMlm, boolean trainNsp) implements ModelFactory<PretrainingBatch> {
        @Override
        public String key() {
            return "train:pretrain:" + ShippedTokenizer.sha256(configJson.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    + ":" + trainMlm + ":" + trainNsp;
        }

        @Override
        public TrainableModel<PretrainingBatch> create() {
            return BertPreTrainingModel.create(BertConfig.parse(configJson), 0, DataType.FLOAT, trainMlm, trainNsp);
        }
    }

    /** Executors' BERT+CRF tagger, from the encoder's config JSON and the head's settings. */
    record NerFactory(String configJson, List<String> labels, boolean bio, double dropout, Engine engine)
            implements ModelFactory<NerBatch> {
        NerFactory {
            labels = List.copyOf(labels);
        }

        @Override
        public String key() {
            return "train:ner:" + ShippedTokenizer.sha256(configJson.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ":"
                    + labels + ":" + bio + ":" + dropout + ":" + engine;
        }

        @Override
        public TrainableModel<NerBatch> create() {
            BertEncoder encoder = BertEncoder.create(BertConfig.parse(configJson), 0);
            return BertCrfTagger.create(encoder, TagSet.of(labels), bio, dropout, 0).engine(engine);
        }
    }

    /** {@link NerBatch} as three packed arrays and its token count. */
    static final class NerCodec implements BatchCodec<NerBatch> {
        private static final long serialVersionUID = 1L;

        /** The shipped form of one NER batch. */
        record Shipped(Packed inputIds, Packed attentionMask, Packed tags, long realTokens) implements Serializable {}

        @Override
        public Serializable encode(NerBatch b) {
            return new Shipped(Packed.of(b.inputIds()), Packed.of(b.attentionMask()), Packed.of(b.tags()), b.realTokens());
        }

        @Override
        public NerBatch decode(Serializable packed) {
            Shipped s = (Shipped) packed;
            return new NerBatch(s.inputIds().unpack(), s.attentionMask().unpack(), s.tags().unpack(), s.realTokens());
        }
    }

    /** {@link PretrainingBatch} as seven packed arrays. */
    static final class PretrainingCodec implements BatchCodec<PretrainingBatch> {
        private static final long serialVersionUID = 1L;

        @Override
        public Serializable encode(PretrainingBatch b) {
            return new Packed[] {Packed.of(b.inputIds()), Packed.of(b.tokenTypeIds()), Packed.of(b.attentionMask()),
                    Packed.of(b.mlmPositions()), Packed.of(b.mlmLabels()), Packed.of(b.mlmWeights()), Packed.of(b.nspLabels())};
        }

        @Override
        public PretrainingBatch decode(Serializable packed) {
            Packed[] p = (Packed[]) packed;
            return new PretrainingBatch(p[0].unpack(), p[1].unpack(), p[2].unpack(), p[3].unpack(), p[4].unpack(),
                    p[5].unpack(), p[6].unpack());
        }
    }
}
