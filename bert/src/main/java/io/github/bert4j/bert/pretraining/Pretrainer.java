package io.github.bert4j.bert.pretraining;

import io.github.bert4j.bert.pretraining.data.SpecialTokens;
import io.github.bert4j.bert.pretraining.shards.ShardSet;
import io.github.bert4j.bert.pretraining.shards.Sharding;
import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertPreTrainingModel;
import io.github.bert4j.bert.pretraining.data.PretrainingBatch;
import io.github.bert4j.core.config.ConfigException;
import io.github.bert4j.core.corpus.Corpora;
import io.github.bert4j.core.corpus.CorpusFormat;
import io.github.bert4j.core.corpus.Document;
import io.github.bert4j.core.corpus.DocumentSplit;
import io.github.bert4j.core.corpus.SentenceSplitter;
import io.github.bert4j.core.io.AtomicFiles;
import io.github.bert4j.core.tracking.RunTracker;
import io.github.bert4j.core.train.Evaluator;
import io.github.bert4j.core.train.GradientAccumulator;
import io.github.bert4j.core.train.StepOutput;
import io.github.bert4j.core.train.TrainResult;
import io.github.bert4j.core.train.TrainableModel;
import io.github.bert4j.core.train.Trainer;
import io.github.bert4j.tokenizer.Tokenizer;
import io.github.bert4j.tokenizer.training.WordPieceTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs a whole pretraining from a {@link PretrainConfig}:
 *
 * <ol>
 *   <li>tokenizer: the configured one, or one trained (WordPiece, optionally Nori morphemes) on the
 *       <em>training</em> documents and saved in {@code <output>/tokenizer/} (reused by later runs
 *       with the same corpus and settings);
 *   <li>token shards of the train and valid documents (split by document id with core's {@link
 *       DocumentSplit}) and of the extra MLM-only text, under {@code data.shard_dir} or
 *       {@code <output>/shards/} (reused while corpus files and tokenizer are unchanged);
 *   <li>{@link PretrainingData} for training (dynamic masks, regenerated pairs, as configured) and
 *       for validation (fixed pairs and masks, so every evaluation sees the same batches);
 *   <li>{@link BertPreTrainingModel} ({@code vocab_size} and {@code pad_token_id} from the
 *       tokenizer) trained by core's {@link Trainer}: AdamW, warm-up + decay, clipping, validation
 *       ({@code valid_mlm_loss}, {@code valid_mlm_acc}, {@code valid_nsp_loss}, {@code
 *       valid_nsp_acc}, {@code valid_loss}), checkpoints in {@code <output>/last} and
 *       {@code <output>/best} (each with the tokenizer files), resume;
 *   <li>tracking in the MLflow file layout under {@code mlruns};
 *   <li>the final, self-contained model directory {@code <output>/model}: {@code config.json},
 *       {@code model.safetensors}, {@code tokenizer.json}, {@code vocab.txt}, {@code README.md}
 *       (model card), taken from {@code best} (or {@code last} without validation).
 * </ol>
 */
public final class Pretrainer {

    private static final System.Logger LOG = System.getLogger(Pretrainer.class.getName());

    /** Where the final model directory goes inside the output directory. */
    public static final String MODEL_DIR = "model";
    /** Where a trained tokenizer goes inside the output directory. */
    public static final String TOKENIZER_DIR = "tokenizer";

    private Pretrainer() {
    }

    /**
     * Pretrains as {@code cfg} says; refuses to start over an earlier run's checkpoints unless
     * resuming (see {@link #run(PretrainConfig, Path, boolean, boolean)}).
     *
     * @param output the output directory, or null for {@code cfg.output()}
     * @param resume continue from {@code <output>/last} if it holds a training state
     */
    public static TrainResult run(PretrainConfig cfg, Path output, boolean resume) throws IOException {
        return run(cfg, output, resume, false, null);
    }

    /** As {@link #run(PretrainConfig, Path, boolean, boolean, java.util.function.Function)} computing gradients in this JVM. */
    public static TrainResult run(PretrainConfig cfg, Path output, boolean resume, boolean overwrite) throws IOException {
        return run(cfg, output, resume, overwrite, null);
    }

    /**
     * Pretrains as {@code cfg} says.
     *
     * @param output the output directory, or null for {@code cfg.output()}
     * @param resume continue from {@code <output>/last} (and its MLflow run) if it holds a training state
     * @param overwrite without resume, delete the checkpoints of an earlier run in {@code output}
     *     instead of refusing to start ({@link io.github.bert4j.core.train.CheckpointException})
     * @param accumulator makes, for the final model configuration (vocabulary size and {@code [PAD]}
     *     id from the tokenizer), who computes each step's gradient, e.g. spread over a Spark
     *     cluster; null computes it in this JVM
     */
    public static TrainResult run(PretrainConfig cfg, Path output, boolean resume, boolean overwrite,
                                  java.util.function.Function<BertConfig, GradientAccumulator<PretrainingBatch>> accumulator)
            throws IOException {
        Path out = (output != null ? output : Path.of(cfg.output())).toAbsolutePath();
        Files.createDirectories(out);
        removeLeftovers(out);
        Trainer.checkOutput(out, resume || cfg.train().resume(), overwrite); // refuse before the tokenizer and shards
        DataConfig data = cfg.data();
        PretrainingInputs inputs = PretrainingInputs.of(cfg, out);
        List<Path> corpus = inputs.corpus();
        List<Path> extraFiles = inputs.extraFiles();
        CorpusFormat format = inputs.format();
        CorpusFormat extraFormat = inputs.extraFormat();
        SentenceSplitter splitter = inputs.splitter();

        Tokenizer tokenizer = tokenizer(inputs);
        SpecialTokens special = SpecialTokens.of(tokenizer.vocab());

        Path shardRoot = inputs.shardRoot();
        ShardSet train = shards(shardRoot.resolve("train"), inputs.sideSource("train"),
                () -> split(corpus, format, splitter, data, DocumentSplit.TRAIN), tokenizer, data);
        ShardSet valid = data.validFraction() > 0 ? shards(shardRoot.resolve("valid"), inputs.sideSource("valid"),
                () -> split(corpus, format, splitter, data, DocumentSplit.VALID), tokenizer, data) : null;
        ShardSet extra = extraFiles.isEmpty() ? null : shards(shardRoot.resolve("extra"), inputs.extraSource(),
                () -> Corpora.open(extraFiles, extraFormat, splitter), tokenizer, data);
        if (valid != null && valid.documents() == 0) {
            LOG.log(System.Logger.Level.WARNING, "no validation documents (valid_fraction {0} of a small corpus): training without validation",
                    data.validFraction());
            valid = null;
        }

        long seed = cfg.train().seed();
        PretrainingData trainData = new PretrainingData(train, extra, special, data.options(cfg.train().batchSize()), seed);
        PretrainingData validData = valid == null ? null
                : new PretrainingData(valid, null, special, data.options(cfg.train().batchSize()).fixed(), seed);
        LOG.log(System.Logger.Level.INFO, "pretraining data: {0} train sequences ({1} micro-batches) per epoch, {2} valid sequences",
                trainData.instancesPerEpoch(), trainData.batchesPerEpoch(), validData == null ? 0 : validData.instancesPerEpoch());

        BertConfig model = forTokenizer(cfg.model(), tokenizer);
        String runName = cfg.runName() != null ? cfg.runName() : out.getFileName().toString();
        RunTracker tracker = Trainer.tracker(Path.of(cfg.mlruns()).toAbsolutePath(), cfg.experiment(), runName, out,
                resume || cfg.train().resume());
        try (BertPreTrainingModel net = BertPreTrainingModel.create(model, seed, DataType.FLOAT,
                cfg.train().trainMlm(), cfg.train().trainNsp())) {
            Map<String, Object> params = new LinkedHashMap<>(cfg.flatParams());
            params.keySet().removeIf(k -> k.startsWith("train."));
            params.put("model.vocab_size", model.vocabSize());
            params.put("data.train_documents", train.documents());
            params.put("data.train_tokens", train.tokens());
            params.put("data.train_sequences_per_epoch", trainData.instancesPerEpoch());
            if (validData != null) {
                params.put("data.valid_documents", valid.documents());
                params.put("data.valid_sequences", validData.instancesPerEpoch());
            }
            if (extra != null) {
                params.put("data.extra_mlm_documents", extra.documents());
            }
            tracker.logParams(params);
            tracker.setTag("bert4j.task", "pretrain");
            Evaluator evaluator = validData == null ? null : () -> net.evaluate(iterable(validData, seed));
            TrainableModel<PretrainingBatch> withTokenizer = new WithTokenizer(net, tokenizer);
            Trainer<PretrainingBatch> trainer = new Trainer<>(cfg.train(), withTokenizer, trainData, evaluator, tracker, out)
                    .resume(resume || cfg.train().resume()).overwrite(overwrite);
            if (accumulator != null) {
                trainer.accumulator(accumulator.apply(model));
            }
            TrainResult result = trainer.fit();
            writeModelDir(cfg, model, tokenizer, train, valid, extra, result, corpus, out);
            tracker.logArtifact(out.resolve(MODEL_DIR).resolve("README.md"));
            tracker.close();
            return result;
        } catch (RuntimeException | IOException | Error e) {
            tracker.fail(e);
            throw e;
        }
    }

    /**
     * Removes what a killed run left in {@code out}: interrupted writes of the model and tokenizer
     * directories (completed or undone, see {@link AtomicFiles#recoverDirectory}), temporary files,
     * and the {@code .model-*} staging directories of bert4j versions before the atomic model
     * directory. The trainer does the same for {@code last/} and {@code best/}.
     */
    static void removeLeftovers(Path out) throws IOException {
        AtomicFiles.recoverDirectory(out.resolve(MODEL_DIR));
        AtomicFiles.deleteTemporaries(out);
        try (Stream<Path> entries = Files.list(out)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (p.getFileName().toString().startsWith(".model-") && Files.isDirectory(p)) {
                    LOG.log(System.Logger.Level.INFO, "removing {0} (left by a killed run)", p);
                    AtomicFiles.deleteTree(p);
                }
            }
        }
    }

    /** The validation batches of epoch 0 (fixed), as an iterable the model's evaluate can consume. */
    private static Iterable<PretrainingBatch> iterable(PretrainingData data, long seed) {
        return () -> data.epoch(0, seed);
    }

    private static Stream<Document> split(List<Path> corpus, CorpusFormat format, SentenceSplitter splitter, DataConfig data,
                                          DocumentSplit side) {
        return Corpora.open(corpus, format, splitter)
                .filter(d -> DocumentSplit.byDocument(d.id(), data.validFraction(), data.splitSeed()) == side);
    }

    /** The shards in {@code dir}, made anew unless a manifest with the same source and tokenizer is there. */
    private static ShardSet shards(Path dir, String source, java.util.function.Supplier<Stream<Document>> docs,
                                   Tokenizer tokenizer, DataConfig data) throws IOException {
        AtomicFiles.deleteTemporaries(dir);
        String fp = Sharding.fingerprint(tokenizer.vocab());
        var existing = ShardSet.load(dir);
        if (existing.isPresent() && existing.get().source().equals(source) && existing.get().tokenizer().equals(fp)) {
            LOG.log(System.Logger.Level.INFO, "reusing {0} shards in {1}", existing.get().shards().size(), dir);
            return existing.get();
        }
        try (Stream<Document> s = docs.get()) {
            return Sharding.tokenize(s, tokenizer, dir, data.docsPerShard(), source,
                    Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
        }
    }

    /** The configured tokenizer, a previously trained one with the same settings, or a newly trained one. */
    private static Tokenizer tokenizer(PretrainingInputs in) throws IOException {
        PretrainConfig cfg = in.config();
        TokenizerConfig tc = cfg.tokenizer();
        if (tc.path() != null) {
            Path p = Path.of(tc.path());
            if (!Files.exists(p)) {
                throw ConfigException.invalid("tokenizer.path", "an existing tokenizer.json, vocab.txt or model directory", tc.path());
            }
            return Tokenizer.load(p);
        }
        Path dir = in.tokenizerDir();
        AtomicFiles.recoverDirectory(dir);
        Path stampFile = dir.resolve(PretrainingInputs.TOKENIZER_STAMP);
        String stamp = in.tokenizerStamp();
        if (Files.isRegularFile(dir.resolve("tokenizer.json")) && Files.isRegularFile(stampFile)
                && Files.readString(stampFile).equals(stamp)) {
            LOG.log(System.Logger.Level.INFO, "reusing the tokenizer trained before in {0}", dir);
            return Tokenizer.load(dir);
        }
        WordPieceTrainer trainer = in.tokenizerTrainer(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), true);
        DataConfig data = cfg.data();
        Iterable<String> trainSentences = () -> new SentenceIterator(split(in.corpus(), in.format(), in.splitter(), data,
                DocumentSplit.TRAIN));
        Tokenizer tok = trainer.train(trainSentences);
        // tokenizer files and stamp in one step: a kill cannot leave new files under an old stamp
        AtomicFiles.writeDirectory(dir, staging -> {
            saveTokenizer(tok, staging);
            Files.writeString(staging.resolve(stampFile.getFileName().toString()), stamp);
        });
        LOG.log(System.Logger.Level.INFO, "trained a {0}-token vocabulary into {1}", tok.vocab().size(), dir);
        return tok;
    }

    /** The sentences of a document stream, closing the stream when exhausted. */
    private static final class SentenceIterator implements Iterator<String> {
        private final Stream<Document> stream;
        private final Iterator<Document> docs;
        private Iterator<String> current = java.util.Collections.emptyIterator();

        SentenceIterator(Stream<Document> stream) {
            this.stream = stream;
            this.docs = stream.iterator();
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext()) {
                if (!docs.hasNext()) {
                    stream.close();
                    return false;
                }
                current = docs.next().sentences().iterator();
            }
            return true;
        }

        @Override
        public String next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            return current.next();
        }
    }

    /** {@code model} with the tokenizer's vocabulary size and {@code [PAD]} id. */
    static BertConfig forTokenizer(BertConfig m, Tokenizer tokenizer) {
        int vocab = tokenizer.vocab().size();
        int pad = tokenizer.vocab().padId();
        return new BertConfig(vocab, m.hiddenSize(), m.numHiddenLayers(), m.numAttentionHeads(), m.intermediateSize(),
                m.hiddenAct(), m.hiddenDropoutProb(), m.attentionProbsDropoutProb(), m.maxPositionEmbeddings(),
                m.typeVocabSize(), m.initializerRange(), m.layerNormEps(), pad, m.modelType(), m.architectures(), m.extra());
    }

    private static void writeModelDir(PretrainConfig cfg, BertConfig model, Tokenizer tokenizer, ShardSet train, ShardSet valid,
                                      ShardSet extra, TrainResult result, List<Path> corpus, Path out) throws IOException {
        Path from = result.bestDir() != null && Files.isRegularFile(result.bestDir().resolve("model.safetensors"))
                ? result.bestDir() : result.lastDir();
        List<String> names = new ArrayList<>();
        corpus.forEach(p -> names.add(p.getFileName().toString()));
        String card = ModelCard.render(cfg, model, tokenizer.vocab().size(), train, valid, extra, result, names);
        AtomicFiles.writeDirectory(out.resolve(MODEL_DIR), staging -> {
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(f)) {
                        Files.copy(f, staging.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            saveTokenizer(tokenizer, staging);
            Files.writeString(staging.resolve("README.md"), card);
        });
    }

    private static void saveTokenizer(Tokenizer tokenizer, Path dir) throws IOException {
        try {
            tokenizer.save(dir);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Delegates to the model and adds the tokenizer files to every checkpoint, so each is self-contained. */
    private record WithTokenizer(BertPreTrainingModel model, Tokenizer tokenizer) implements TrainableModel<PretrainingBatch> {
        @Override
        public Map<String, INDArray> parameters() {
            return model.parameters();
        }

        @Override
        public StepOutput trainStep(PretrainingBatch batch) {
            return model.trainStep(batch);
        }

        @Override
        public void save(Path dir) throws IOException {
            model.save(dir);
            saveTokenizer(tokenizer, dir);
        }
    }
}
