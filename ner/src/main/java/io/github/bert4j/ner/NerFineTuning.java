package io.github.bert4j.ner;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.FineTuningRates;
import io.github.bert4j.core.config.ConfigException;
import io.github.bert4j.core.io.AtomicFiles;
import io.github.bert4j.core.tracking.RunTracker;
import io.github.bert4j.core.train.Checkpoints;
import io.github.bert4j.core.train.GradientAccumulator;
import io.github.bert4j.core.train.TrainResult;
import io.github.bert4j.core.train.TrainerState;
import io.github.bert4j.core.train.Trainer;
import io.github.bert4j.ner.data.KlueNerReader;
import io.github.bert4j.ner.data.NerSentence;
import io.github.bert4j.ner.data.NerSplits;
import io.github.bert4j.ner.data.TagSet;
import io.github.bert4j.ner.eval.KlueReport;
import io.github.bert4j.ner.eval.ReliabilityPlot;
import io.github.bert4j.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code bert4j finetune-ner}: fine-tunes a BERT+CRF tagger on KLUE-format data with the core
 * {@link Trainer}, evaluating every epoch (best checkpoint by {@code train.best_metric}, by default
 * {@code valid_entity_macro_f1}, max) and tracking the run in the MLflow layout.
 *
 * <p>Output layout: {@code output/} is the final model directory (a copy of the best checkpoint,
 * or of the last if no evaluation ran), plus {@code output/checkpoints/{last,best}} (the
 * trainer's, with {@code training_state/} for {@code --resume}) and {@code output/eval.json} (the
 * best model's validation report).
 */
public final class NerFineTuning {

    private static final System.Logger LOG = System.getLogger(NerFineTuning.class.getName());
    private static final String EVAL_FILE = "eval.json";

    private static final String TEST_FILE = "test.json";
    private static final String TEST_RELIABILITY_FILE = "test-reliability.png";

    /**
     * What a run produced.
     *
     * @param validReport the chosen model's report on the validation split (null without one)
     * @param testSelected with a test split ({@code data.valid_modulus}): the report of the model
     *     chosen on validation, on the test split; else null
     * @param testLast with a test split: the last model's report on the test split; else null
     */
    public record Result(TrainResult train, KlueReport validReport, Path modelDir, int trainSentences,
            int validSentences, KlueReport testSelected, KlueReport testLast, int testSentences) {}

    private NerFineTuning() {
    }

    /** As {@link #run(NerConfig, Path, boolean, boolean)} without overwriting an earlier run's checkpoints. */
    public static Result run(NerConfig cfg, Path output, boolean resume) throws IOException {
        return run(cfg, output, resume, false);
    }

    /**
     * Fine-tunes as {@code cfg} says and writes the model directory {@code output}.
     *
     * @param resume continue from {@code output/checkpoints/last} (and its MLflow run) if it holds a training state
     * @param overwrite without resume, delete the checkpoints of an earlier run instead of refusing to start
     */
    public static Result run(NerConfig cfg, Path output, boolean resume, boolean overwrite) throws IOException {
        return run(cfg, output, resume, overwrite, null);
    }

    /**
     * As {@link #run(NerConfig, Path, boolean, boolean)} with each step's gradient computed by the
     * accumulator that {@code accumulator} makes for the model about to be trained (e.g. on a
     * cluster); everything else (data, validation, checkpoints, tracking, the model directory) is
     * the same run. Null computes gradients in this JVM.
     */
    public static Result run(NerConfig cfg, Path output, boolean resume, boolean overwrite,
            Function<NerModel, GradientAccumulator<NerBatch>> accumulator) throws IOException {
        AtomicFiles.recoverDirectory(output); // before anything reads output/checkpoints
        Trainer.checkOutput(output.resolve("checkpoints"), resume || cfg.train().resume(), overwrite);
        checkInputs(cfg);
        TagSet tags = cfg.data().tagSet();
        List<NerSentence> train;
        List<NerSentence> valid;
        List<NerSentence> test = List.of();
        Path trainFile = Path.of(cfg.data().trainFile());
        if (cfg.data().hasTestSplit()) {
            NerSplits.ThreeWay<NerSentence> split;
            try {
                split = NerSplits.byIndex(KlueNerReader.readAll(trainFile, tags), cfg.data().splitModulus(),
                        cfg.data().splitTestRemainder(), cfg.data().validModulus(), cfg.data().validRemainder());
            } catch (IllegalArgumentException e) {
                throw ConfigException.other("valid_remainder", e.getMessage() + " (" + trainFile + ")", e);
            }
            train = split.train();
            valid = split.valid();
            test = split.test();
        } else if (cfg.data().validFile() == null) {
            NerSplits.Split<NerSentence> split = NerSplits.byIndex(KlueNerReader.readAll(trainFile, tags),
                    cfg.data().splitModulus(), cfg.data().splitTestRemainder());
            train = split.train();
            valid = split.test();
        } else {
            train = KlueNerReader.readAll(trainFile, tags);
            valid = KlueNerReader.readAll(Path.of(cfg.data().validFile()), tags);
        }
        if (cfg.data().trainLimit() != null && train.size() > cfg.data().trainLimit()) {
            // a learning-curve point: the first N labelled training sentences in file order (validation
            // and test splits unchanged)
            LOG.log(System.Logger.Level.INFO, "train_limit: the first {0} of {1} training sentences",
                    cfg.data().trainLimit(), train.size());
            train = List.copyOf(train.subList(0, cfg.data().trainLimit()));
        }
        int labelled = train.size();
        if (!cfg.data().extraTrainFiles().isEmpty()) {
            // extra training data (e.g. pseudo-labels, PseudoLabels): never validated or tested on
            List<NerSentence> all = new java.util.ArrayList<>(train);
            for (String f : cfg.data().extraTrainFiles()) {
                all.addAll(KlueNerReader.readAll(Path.of(f), tags));
            }
            train = List.copyOf(all);
        }
        LOG.log(System.Logger.Level.INFO, "NER data: {0} train ({1} from extra_train_files), {2} valid, {3} test sentences",
                train.size(), train.size() - labelled, valid.size(), test.size());

        NerConfig.Model m = cfg.model();
        Tokenizer tokenizer = Tokenizer.load(m.tokenizerPath());
        BertEncoder encoder;
        if (m.pretrained() != null) {
            encoder = BertEncoder.load(Path.of(m.pretrained()));
        } else {
            BertConfig bc = m.bert() != null ? m.bert() : BertConfig.seed(tokenizer.vocab().size());
            int vocab = tokenizer.vocab().size();
            if (bc.vocabSize() != vocab) {
                // a fresh encoder's table is sized to the tokenizer: rows beyond it would never be used
                LOG.log(System.Logger.Level.INFO, "random initialisation: vocab_size {0} -> the tokenizer''s {1}",
                        bc.vocabSize(), vocab);
                bc = bc.withVocabSize(vocab);
            }
            encoder = BertEncoder.create(bc, m.seed());
        }
        double dropout = m.dropout() != null ? m.dropout() : encoder.config().hiddenDropoutProb();
        BertCrfTagger tagger = BertCrfTagger.create(encoder, tags, m.bioConstraints(), dropout, m.seed());
        NerInputs inputs = new NerInputs(tokenizer, tags, m.maxLen(), m.stride());
        try (NerModel model = new NerModel(tagger, inputs)) {
            model.setModelCard(card(cfg, train.size(), valid.size()));
            double headScale = m.headLr() == null ? 1.0 : m.headLr() / cfg.train().lr();
            model.setFineTuningRates(new FineTuningRates(headScale, m.layerLrDecay(),
                    encoder.config().numHiddenLayers()));
            List<NerExample> examples = inputs.examples(train);
            NerBatches batches = new NerBatches(examples, cfg.train().batchSize(), m.bucket(),
                    Math.max(0, tokenizer.vocab().padId()), tags.outside(), true);
            NerScorer validation = valid.isEmpty() ? null : new NerScorer(model, valid, m.evalBatchSize());
            Path checkpoints = output.resolve("checkpoints");
            TrainResult result;
            boolean resuming = resume || cfg.train().resume();
            try (RunTracker tracker = Trainer.tracker(Path.of(cfg.tracking().mlruns()), cfg.tracking().experiment(),
                    cfg.tracking().runName(), checkpoints, resuming)) {
                tracker.logParams(params(cfg, train.size(), valid.size(), test.size(), examples.size()));
                tracker.setTag("task", "ner");
                try {
                    Trainer<NerBatch> trainer = new Trainer<>(cfg.train(), model, batches, validation, tracker, checkpoints)
                            .resume(resuming).overwrite(overwrite);
                    if (accumulator != null) {
                        trainer.accumulator(accumulator.apply(model));
                    }
                    result = trainer.fit();
                } catch (RuntimeException e) {
                    tracker.fail(e);
                    throw e;
                }
                Path chosen = result.bestDir() != null ? result.bestDir() : result.lastDir();
                boolean calibrate = m.calibrateScores() && !valid.isEmpty();
                double temperature = 1.0;
                KlueReport report = null;
                if (!valid.isEmpty()) {
                    try (NerModel best = NerModel.load(chosen)) {
                        if (calibrate) {
                            // entity-score temperature fitted on validation (tags and F1 do not change)
                            temperature = new NerPredictor(best).fitScoreTemperature(valid, m.evalBatchSize());
                            best.setScoreTemperature(temperature);
                            LOG.log(System.Logger.Level.INFO, "entity-score temperature fitted on {0} validation sentences: {1}",
                                    valid.size(), String.format(java.util.Locale.ROOT, "%.3f", temperature));
                            tracker.logMetric("score_temperature", temperature, result.steps());
                        }
                        report = NerScorer.score(best, valid, m.evalBatchSize());
                    }
                }
                KlueReport testSelected = null;
                KlueReport testLast = null;
                String testJson = null;
                if (!test.isEmpty()) {
                    // the only reads of the test split: the model chosen on validation, and the last one
                    // (each with its temperature fitted on validation), plus the chosen one's scores at
                    // temperature 1 for the calibration figure
                    double uncalibratedEce;
                    try (NerModel selected = NerModel.load(chosen)) {
                        selected.setScoreTemperature(temperature);
                        testSelected = NerScorer.score(selected, test, m.evalBatchSize());
                        if (temperature != 1.0) {
                            selected.setScoreTemperature(1.0);
                            uncalibratedEce = NerScorer.score(selected, test, m.evalBatchSize()).reliability()
                                    .expectedCalibrationError();
                        } else {
                            uncalibratedEce = testSelected.reliability().expectedCalibrationError();
                        }
                    }
                    try (NerModel last = NerModel.load(result.lastDir())) {
                        if (calibrate) last.setScoreTemperature(new NerPredictor(last).fitScoreTemperature(valid, m.evalBatchSize()));
                        testLast = NerScorer.score(last, test, m.evalBatchSize());
                    }
                    testJson = testJson(testSelected, testLast, result, test.size(), temperature, uncalibratedEce);
                    tracker.logMetric("test_selected_entity_score_ece_uncalibrated", uncalibratedEce, result.steps());
                    testSelected.asMetrics().forEach((k, v) -> tracker.logMetric("test_selected_" + k, v, result.steps()));
                    testLast.asMetrics().forEach((k, v) -> tracker.logMetric("test_last_" + k, v, result.steps()));
                }
                copyModel(chosen, output, report, testJson, testSelected, temperature);
                if (report != null) {
                    tracker.logArtifact(output.resolve(EVAL_FILE));
                    tracker.logArtifact(output.resolve(ReliabilityPlot.FILE));
                    report.asMetrics().forEach((k, v) -> tracker.setTag("best_" + k, String.valueOf(v)));
                }
                if (testJson != null) tracker.logArtifact(output.resolve(TEST_FILE));
                return new Result(result, report, output, train.size(), valid.size(), testSelected, testLast, test.size());
            }
        }
    }

    /**
     * Makes {@code output} the model directory of {@code checkpoint} (its files, not its training
     * state) plus {@code eval.json} and its entity-score reliability diagram {@code
     * reliability.png} ({@link ReliabilityPlot}) when {@code report} is given, in one atomic step
     * ({@link AtomicFiles#writeDirectory}): weights, {@code labels.json}, README and report always
     * belong together. Other entries of {@code output} ({@code checkpoints/}, whatever the user
     * keeps there) move into the new directory; an old {@code eval.json}, {@code reliability.png}
     * and temporary files do not.
     */
    static void copyModel(Path checkpoint, Path output, KlueReport report) throws IOException {
        copyModel(checkpoint, output, report, null, null, 1.0);
    }

    /**
     * As {@link #copyModel(Path, Path, KlueReport)}, plus {@code test.json} and {@code
     * test-reliability.png} (the chosen model's entity scores on the test split) when a test split
     * was evaluated, and with {@code score_temperature} in {@code labels.json} when it is not 1.
     */
    static void copyModel(Path checkpoint, Path output, KlueReport report, String testJson, KlueReport testSelected,
            double temperature) throws IOException {
        AtomicFiles.writeDirectory(output, name -> !name.equals(EVAL_FILE) && !name.equals(TEST_FILE)
                && !name.equals(ReliabilityPlot.FILE) && !name.equals(TEST_RELIABILITY_FILE)
                && !name.endsWith(".tmp"), staging -> {
            try (Stream<Path> files = Files.list(checkpoint)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(f)) Files.copy(f, staging.resolve(f.getFileName()));
                }
            }
            if (temperature != 1.0) NerModel.writeScoreTemperature(staging, temperature);
            if (report != null) {
                Files.writeString(staging.resolve(EVAL_FILE), report.toJson() + "\n");
                ReliabilityPlot.write(report.reliability(), staging.resolve(ReliabilityPlot.FILE));
            }
            if (testJson != null) Files.writeString(staging.resolve(TEST_FILE), testJson + "\n");
            if (testSelected != null) {
                ReliabilityPlot.write(testSelected.reliability(), staging.resolve(TEST_RELIABILITY_FILE));
            }
        });
    }

    /**
     * {@code {"test_sentences":..,"selected_on":"valid","selected_step":..,"last_step":..,
     * "score_temperature":..,"selected_ece_uncalibrated":..,"selected":{report},"last":{report}}}.
     */
    static String testJson(KlueReport selected, KlueReport last, TrainResult result, int sentences, double temperature,
            double uncalibratedEce) throws IOException {
        long selectedStep = TrainerState.read(result.lastDir().resolve(Checkpoints.STATE_DIR)
                .resolve(Checkpoints.TRAINER_STATE_FILE)).bestStep();
        if (result.bestDir() == null || selectedStep < 0) selectedStep = result.steps();
        return "{\"test_sentences\":" + sentences + ",\"selected_on\":\"valid\",\"selected_step\":" + selectedStep
                + ",\"last_step\":" + result.steps() + ",\"score_temperature\":" + temperature
                + ",\"selected_ece_uncalibrated\":" + uncalibratedEce + ",\"selected\":" + selected.toJson() + ",\"last\":"
                + last.toJson() + "}";
    }

    /**
     * Fails before any work when a file or folder that the config names is missing, naming the key:
     * {@code data.train_file: no such file: /abs/data/x.tsv}.
     */
    static void checkInputs(NerConfig cfg) {
        requireFile("data.train_file", cfg.data().trainFile());
        for (String f : cfg.data().extraTrainFiles()) {
            requireFile("data.extra_train_files", f);
        }
        if (cfg.data().validFile() != null) {
            requireFile("data.valid_file", cfg.data().validFile());
        }
        NerConfig.Model m = cfg.model();
        if (m.pretrained() != null && !Files.isDirectory(Path.of(m.pretrained()))) {
            throw ConfigException.other("model.pretrained", "no such model directory: " + absolute(m.pretrained()), null);
        }
        if (m.tokenizer() != null && !Files.exists(Path.of(m.tokenizer()))) {
            throw ConfigException.other("model.tokenizer", "no such file or directory: " + absolute(m.tokenizer()), null);
        }
    }

    private static void requireFile(String key, String path) {
        if (!Files.isRegularFile(Path.of(path))) {
            throw ConfigException.other(key, (Files.isDirectory(Path.of(path)) ? "a folder, not a file: " : "no such file: ")
                    + absolute(path), null);
        }
    }

    private static Path absolute(String path) {
        return Path.of(path).toAbsolutePath().normalize();
    }

    private static Map<String, Object> params(NerConfig cfg, int train, int valid, int test, int windows) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("train_file", cfg.data().trainFile());
        p.put("extra_train_files", String.join(",", cfg.data().extraTrainFiles()));
        if (cfg.data().trainLimit() != null) p.put("train_limit", cfg.data().trainLimit());
        p.put("valid_file", String.valueOf(cfg.data().validFile()));
        p.put("split", cfg.data().hasTestSplit()
                ? "index % " + cfg.data().splitModulus() + " == " + cfg.data().splitTestRemainder() + " -> test, else % "
                        + cfg.data().validModulus() + " == " + cfg.data().validRemainder() + " -> valid"
                : cfg.data().validFile() == null
                ? "index % " + cfg.data().splitModulus() + " == " + cfg.data().splitTestRemainder() + " -> valid" : "files");
        p.put("test_sentences", test);
        p.put("head_lr", String.valueOf(cfg.model().headLr()));
        p.put("layer_lr_decay", cfg.model().layerLrDecay());
        p.put("train_sentences", train);
        p.put("valid_sentences", valid);
        p.put("train_windows", windows);
        p.put("pretrained", String.valueOf(cfg.model().pretrained()));
        p.put("max_len", cfg.model().maxLen());
        p.put("stride", cfg.model().stride());
        p.put("bio_constraints", cfg.model().bioConstraints());
        p.put("labels", cfg.data().tagSet().labels().toString());
        return p;
    }

    private static String card(NerConfig cfg, int train, int valid) {
        return "# bert4j KLUE NER model\n\nBERT + linear + CRF fine-tuned by `bert4j finetune-ner` on `"
                + cfg.data().trainFile() + "` (" + train + " training sentences, " + valid + " validation sentences"
                + (cfg.data().validFile() == null ? ", split by index: i % " + cfg.data().splitModulus() + " == "
                        + cfg.data().splitTestRemainder() + " is validation" : "") + ") from "
                + (cfg.model().pretrained() == null ? "a randomly initialised encoder" : "`" + cfg.model().pretrained() + "`")
                + ".\n\nLabels: " + cfg.data().tagSet().labels() + ". Max length " + cfg.model().maxLen()
                + " (longer sentences are tagged through sliding windows, stride " + cfg.model().stride() + ").\n\n"
                + "Use: `bert4j tag --model <dir>` or `NerPredictor.load(dir).predict(text)`. "
                + "Evaluation: `eval.json` (KLUE metrics of the validation split).\n";
    }
}
