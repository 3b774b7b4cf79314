package io.github.bert4j.bert.classification;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.BertForSequenceClassification;
import io.github.bert4j.bert.pretraining.CorpusFiles;
import io.github.bert4j.core.config.ConfigException;
import io.github.bert4j.core.io.AtomicFiles;
import io.github.bert4j.core.tracking.MetricPoint;
import io.github.bert4j.core.tracking.RunTracker;
import io.github.bert4j.core.train.Checkpoints;
import io.github.bert4j.core.train.TrainResult;
import io.github.bert4j.core.train.Trainer;
import io.github.bert4j.core.train.TrainerState;
import io.github.bert4j.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code bert4j finetune-classifier}: fine-tunes {@link BertForSequenceClassification} on labelled
 * texts with the core {@link Trainer}, evaluating on the validation split every epoch ({@code
 * train.eval_every: 0}) and keeping the best checkpoint by {@code train.best_metric} (by default
 * {@code valid_macro_f1}, max; a tie keeps the earlier checkpoint), tracked in the MLflow layout.
 * Only when training is over are the chosen checkpoint and the last one evaluated on the test
 * split: the test split never takes part in a choice.
 *
 * <p>Output layout: {@code output/} is the final model directory (the chosen checkpoint's {@code
 * config.json} and {@code model.safetensors}, the tokenizer's {@code tokenizer.json}, {@code
 * classification.json} for {@link TextClassifier}, a {@code README.md}), plus {@code report.json}
 * (data, class distribution per split, majority-class baseline, validation and test reports),
 * {@code confusion-valid.png}, {@code confusion-test.png} (the chosen model), {@code
 * class-distribution.png}, and {@code output/checkpoints/{last,best}} (the trainer's, with {@code
 * training_state/} for resuming).
 */
public final class ClassificationFineTuning {

    private static final System.Logger LOG = System.getLogger(ClassificationFineTuning.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The report written into the model directory. */
    public static final String REPORT_FILE = "report.json";
    public static final String CONFUSION_VALID_FILE = "confusion-valid.png";
    public static final String CONFUSION_TEST_FILE = "confusion-test.png";
    public static final String DISTRIBUTION_FILE = "class-distribution.png";
    private static final List<String> WRITTEN = List.of(REPORT_FILE, CONFUSION_VALID_FILE, CONFUSION_TEST_FILE,
            DISTRIBUTION_FILE);

    /**
     * What a run produced.
     *
     * @param valid the chosen model on the validation split (null without one)
     * @param testSelected the chosen model on the test split (null without one)
     * @param testLast the last model on the test split (null without one)
     * @param baselineValid always predicting {@code majority} on the validation split (null without one)
     * @param baselineTest the same on the test split (null without one)
     * @param selectedStep the optimizer step of the chosen checkpoint
     */
    public record Result(TrainResult train, Path modelDir, ClassificationSplit.Split split, String majority,
            ClassificationReport valid, ClassificationReport testSelected, ClassificationReport testLast,
            ClassificationReport baselineValid, ClassificationReport baselineTest, long selectedStep) {}

    private ClassificationFineTuning() {
    }

    /**
     * Fine-tunes as {@code cfg} says and writes the model directory {@code output}.
     *
     * @param resume continue from {@code output/checkpoints/last} (and its MLflow run) if it holds a training state
     * @param overwrite without resume, delete the checkpoints of an earlier run instead of refusing to start
     */
    public static Result run(ClassificationConfig cfg, Path output, boolean resume, boolean overwrite) throws IOException {
        AtomicFiles.recoverDirectory(output); // before anything reads output/checkpoints
        boolean resuming = resume || cfg.train().resume();
        Path checkpoints = output.resolve("checkpoints");
        Trainer.checkOutput(checkpoints, resuming, overwrite);
        checkInputs(cfg);
        List<Path> files = files(cfg);
        LabelledTextReader.Corpus corpus = cfg.data().reader().read(files);
        ClassificationSplit.Split split = ClassificationSplit.split(corpus.documents(), cfg.data().scheme(),
                cfg.data().unknownLabels());
        List<String> labels = split.labels();
        LOG.log(System.Logger.Level.INFO, "classification data: {0} documents in {1} files ({2} skipped for an empty text);"
                + " {3} train, {4} valid, {5} test ({6} dropped for a label unknown to train); {7} classes",
                corpus.lines(), files.size(), corpus.skippedEmpty().size(), split.train().size(), split.valid().size(),
                split.test().size(), split.dropped(), labels.size());

        ClassificationConfig.Model m = cfg.model();
        Tokenizer tokenizer = Tokenizer.load(m.tokenizerPath());
        ClassificationInputs inputs = new ClassificationInputs(tokenizer, m.maxLen());
        BertEncoder encoder = encoder(m, tokenizer);
        double dropout = m.dropout() != null ? m.dropout() : encoder.config().hiddenDropoutProb();
        try (BertForSequenceClassification model = BertForSequenceClassification.create(encoder, labels, dropout, m.seed())
                .headLearningRateScale(m.headLrScale())) {
            int[] trainY = split.ids(split.train());
            int[] validY = split.ids(split.valid());
            int[] testY = split.ids(split.test());
            List<int[]> trainX = inputs.ids(texts(split.train()));
            List<int[]> validX = inputs.ids(texts(split.valid()));
            ClassificationBatches batches = new ClassificationBatches(trainX, trainY, cfg.train().batchSize(),
                    inputs.padId(), true);
            ClassificationScorer validation = split.valid().isEmpty() ? null
                    : new ClassificationScorer(model, validX, validY, m.evalBatchSize(), inputs.padId());
            TrainResult result;
            try (RunTracker tracker = Trainer.tracker(Path.of(cfg.tracking().mlruns()), cfg.tracking().experiment(),
                    cfg.tracking().runName(), checkpoints, resuming)) {
                tracker.logParams(params(cfg, files, corpus, split, trainX, m.maxLen()));
                tracker.setTag("task", "sequence-classification");
                try {
                    result = new Trainer<>(cfg.train(), model, batches, validation, tracker, checkpoints)
                            .resume(resuming).overwrite(overwrite).fit();
                } catch (RuntimeException e) {
                    tracker.fail(e);
                    throw e;
                }
                Path chosen = result.bestDir() != null ? result.bestDir() : result.lastDir();
                long selectedStep = selectedStep(result);
                int majority = ClassificationReport.majority(trainY, labels.size());
                ClassificationReport valid = null;
                ClassificationReport baselineValid = null;
                if (!split.valid().isEmpty()) {
                    try (BertForSequenceClassification best = BertForSequenceClassification.load(chosen)) {
                        valid = ClassificationScorer.evaluate(best, validX, validY, m.evalBatchSize(), inputs.padId())
                                .report();
                    }
                    baselineValid = ClassificationReport.constant(labels, validY, majority);
                }
                ClassificationReport testSelected = null;
                ClassificationReport testLast = null;
                ClassificationReport baselineTest = null;
                if (!split.test().isEmpty()) {
                    // the only reads of the test split: the model chosen on validation, and the last one
                    List<int[]> testX = inputs.ids(texts(split.test()));
                    try (BertForSequenceClassification selected = BertForSequenceClassification.load(chosen)) {
                        testSelected = ClassificationScorer.evaluate(selected, testX, testY, m.evalBatchSize(),
                                inputs.padId()).report();
                    }
                    try (BertForSequenceClassification last = BertForSequenceClassification.load(result.lastDir())) {
                        testLast = ClassificationScorer.evaluate(last, testX, testY, m.evalBatchSize(),
                                inputs.padId()).report();
                    }
                    baselineTest = ClassificationReport.constant(labels, testY, majority);
                }
                Result r = new Result(result, output, split, labels.get(majority), valid, testSelected, testLast,
                        baselineValid, baselineTest, selectedStep);
                String report = reportJson(cfg, files, corpus, r, history(tracker));
                writeModelDirectory(chosen, m, tokenizer, new TextClassifier.Settings(m.maxLen(), cfg.data().textFields(),
                        cfg.data().labelField()), output, report, r, card(cfg, r));
                for (String f : WRITTEN) {
                    if (Files.exists(output.resolve(f))) tracker.logArtifact(output.resolve(f));
                }
                if (valid != null) valid.asMetrics().forEach((k, v) -> tracker.setTag("best_valid_" + k, String.valueOf(v)));
                if (baselineValid != null) tracker.logMetric("baseline_valid_macro_f1", baselineValid.macroF1(), result.steps());
                if (testSelected != null) {
                    testSelected.asMetrics().forEach((k, v) -> tracker.logMetric("test_selected_" + k, v, result.steps()));
                    testLast.asMetrics().forEach((k, v) -> tracker.logMetric("test_last_" + k, v, result.steps()));
                    tracker.logMetric("baseline_test_accuracy", baselineTest.accuracy(), result.steps());
                    tracker.logMetric("baseline_test_macro_f1", baselineTest.macroF1(), result.steps());
                }
                return r;
            }
        }
    }

    /** The data files: {@code data.files} expanded (globs, folders), sorted by path, each once. */
    static List<Path> files(ClassificationConfig cfg) {
        TreeSet<Path> sorted = new TreeSet<>();
        for (Path p : CorpusFiles.expand(cfg.data().files(), "data.files")) {
            sorted.add(p.toAbsolutePath().normalize());
        }
        return List.copyOf(sorted);
    }

    private static List<String> texts(List<LabelledText> docs) {
        return docs.stream().map(LabelledText::text).toList();
    }

    private static BertEncoder encoder(ClassificationConfig.Model m, Tokenizer tokenizer) throws IOException {
        int vocab = tokenizer.vocab().size();
        BertEncoder encoder;
        if (m.pretrained() != null) {
            encoder = BertEncoder.load(Path.of(m.pretrained()));
            if (encoder.config().vocabSize() < vocab) {
                encoder.close();
                throw ConfigException.other("model.tokenizer", "the tokenizer has " + vocab + " tokens, the encoder's"
                        + " vocab_size is " + encoder.config().vocabSize(), null);
            }
        } else {
            BertConfig bc = m.bert() != null ? m.bert() : BertConfig.seed(vocab);
            if (bc.vocabSize() != vocab) {
                LOG.log(System.Logger.Level.INFO, "fresh encoder: vocab_size {0} -> the tokenizer''s {1}", bc.vocabSize(), vocab);
                bc = bc.withVocabSize(vocab);
            }
            encoder = BertEncoder.create(bc, m.seed());
        }
        if (encoder.config().maxPositionEmbeddings() < m.maxLen()) {
            int positions = encoder.config().maxPositionEmbeddings();
            encoder.close();
            throw ConfigException.other("model.max_len", "must be <= the encoder's max_position_embeddings ("
                    + positions + "), got " + m.maxLen(), null);
        }
        return encoder;
    }

    private static long selectedStep(TrainResult result) throws IOException {
        long step = TrainerState.read(result.lastDir().resolve(Checkpoints.STATE_DIR)
                .resolve(Checkpoints.TRAINER_STATE_FILE)).bestStep();
        return result.bestDir() == null || step < 0 ? result.steps() : step;
    }

    /**
     * Makes {@code output} the model directory of {@code checkpoint} (its files, not its training
     * state) plus tokenizer, settings, README, report and figures, in one atomic step ({@link
     * AtomicFiles#writeDirectory}); {@code checkpoints/} and whatever else the user keeps there
     * move into the new directory, an old report and figures do not.
     */
    static void writeModelDirectory(Path checkpoint, ClassificationConfig.Model m, Tokenizer tokenizer,
            TextClassifier.Settings settings, Path output, String report, Result r, String card) throws IOException {
        AtomicFiles.writeDirectory(output, name -> !WRITTEN.contains(name) && !name.endsWith(".tmp"), staging -> {
            try (Stream<Path> files = Files.list(checkpoint)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(f)) Files.copy(f, staging.resolve(f.getFileName()));
                }
            }
            Path tok = m.tokenizerPath();
            Path json = Files.isDirectory(tok) ? tok.resolve("tokenizer.json") : tok;
            if (json.getFileName().toString().endsWith(".json") && Files.isRegularFile(json)) {
                Files.copy(json, staging.resolve("tokenizer.json"));
                Path vocab = json.resolveSibling("vocab.txt");
                if (Files.isRegularFile(vocab)) Files.copy(vocab, staging.resolve("vocab.txt"));
            } else {
                tokenizer.save(staging);
            }
            settings.write(staging);
            Files.writeString(staging.resolve("README.md"), card, StandardCharsets.UTF_8);
            Files.writeString(staging.resolve(REPORT_FILE), report + "\n", StandardCharsets.UTF_8);
            List<String> labels = r.split().labels();
            Map<String, Map<String, Integer>> dist = new LinkedHashMap<>();
            for (ClassificationSplit.Part p : ClassificationSplit.Part.values()) {
                if (!r.split().part(p).isEmpty()) dist.put(p.key(), r.split().distribution(r.split().part(p)));
            }
            ClassificationPlots.distribution(labels, dist, "Class distribution by split", staging.resolve(DISTRIBUTION_FILE));
            if (r.valid() != null) {
                ClassificationPlots.confusionMatrix(r.valid(), "valid (chosen model)", staging.resolve(CONFUSION_VALID_FILE));
            }
            if (r.testSelected() != null) {
                ClassificationPlots.confusionMatrix(r.testSelected(), "test (chosen model)", staging.resolve(CONFUSION_TEST_FILE));
            }
        });
    }

    /** The validation metrics of every evaluation so far, by step: {@code [{"step":..,"valid_macro_f1":..,...}]}. */
    static ArrayNode history(RunTracker tracker) {
        Map<Long, ObjectNode> byStep = new java.util.TreeMap<>();
        for (String key : List.of("valid_macro_f1", "valid_accuracy", "valid_weighted_f1", "valid_loss")) {
            for (MetricPoint p : tracker.metricHistory(key)) {
                byStep.computeIfAbsent(p.step(), s -> JSON.createObjectNode().put("step", s)).put(key, p.value());
            }
        }
        ArrayNode out = JSON.createArrayNode();
        byStep.values().forEach(out::add);
        return out;
    }

    /** The JSON report of a run (see {@code README.md} of the model directory). */
    static String reportJson(ClassificationConfig cfg, List<Path> files, LabelledTextReader.Corpus corpus, Result r,
            ArrayNode history) {
        ObjectNode root = JSON.createObjectNode();
        root.put("task", "sequence-classification");
        ArrayNode labels = root.putArray("labels");
        r.split().labels().forEach(labels::add);
        ObjectNode data = root.putObject("data");
        ArrayNode fs = data.putArray("files");
        files.forEach(f -> fs.add(f.getFileName().toString()));
        ArrayNode tf = data.putArray("text_fields");
        cfg.data().textFields().forEach(tf::add);
        data.put("label_field", cfg.data().labelField());
        data.put("documents", corpus.lines());
        data.put("skipped_empty_text", corpus.skippedEmpty().size());
        data.put("split", cfg.data().scheme().describe());
        ObjectNode dropped = data.putObject("dropped_unknown_label");
        r.split().dropped().forEach(dropped::put);
        ObjectNode sizes = data.putObject("documents_per_split");
        ObjectNode dist = data.putObject("distribution");
        for (ClassificationSplit.Part p : ClassificationSplit.Part.values()) {
            List<LabelledText> docs = r.split().part(p);
            sizes.put(p.key(), docs.size());
            ObjectNode d = dist.putObject(p.key());
            r.split().distribution(docs).forEach(d::put);
        }
        data.put("max_len", cfg.model().maxLen());
        ObjectNode sel = root.putObject("selection");
        sel.put("metric", cfg.train().bestMetric());
        sel.put("mode", cfg.train().bestMode().jsonName());
        sel.put("on", "valid");
        sel.put("selected_step", r.selectedStep());
        sel.put("last_step", r.train().steps());
        sel.put("seconds", r.train().seconds());
        sel.set("valid_history", history);
        ObjectNode base = root.putObject("baseline");
        base.put("rule", "always the most frequent training class");
        base.put("label", r.majority());
        if (r.baselineValid() != null) base.set("valid", summary(r.baselineValid()));
        if (r.baselineTest() != null) base.set("test", summary(r.baselineTest()));
        if (r.valid() != null) root.set("valid", r.valid().toJsonNode());
        if (r.testSelected() != null) {
            ObjectNode test = root.putObject("test");
            test.set("selected", r.testSelected().toJsonNode());
            test.set("last", r.testLast().toJsonNode());
        }
        return root.toPrettyString();
    }

    private static ObjectNode summary(ClassificationReport rep) {
        ObjectNode o = JSON.createObjectNode();
        o.put("examples", rep.examples());
        o.put("accuracy", rep.accuracy());
        o.put("macro_f1", rep.macroF1());
        o.put("weighted_f1", rep.weightedF1());
        return o;
    }

    /** Fails before any work when a file or folder that the config names is missing, naming the key. */
    static void checkInputs(ClassificationConfig cfg) {
        ClassificationConfig.Model m = cfg.model();
        if (m.pretrained() != null && !Files.isDirectory(Path.of(m.pretrained()))) {
            throw ConfigException.other("model.pretrained", "no such model directory: " + absolute(m.pretrained()), null);
        }
        if (m.tokenizer() != null && !Files.exists(Path.of(m.tokenizer()))) {
            throw ConfigException.other("model.tokenizer", "no such file or directory: " + absolute(m.tokenizer()), null);
        }
    }

    private static Path absolute(String path) {
        return Path.of(path).toAbsolutePath().normalize();
    }

    private static Map<String, Object> params(ClassificationConfig cfg, List<Path> files, LabelledTextReader.Corpus corpus,
            ClassificationSplit.Split split, List<int[]> trainX, int maxLen) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("files", String.join(",", files.stream().map(f -> f.getFileName().toString()).toList()));
        p.put("text_fields", String.join(",", cfg.data().textFields()));
        p.put("label_field", cfg.data().labelField());
        p.put("split", cfg.data().scheme().describe());
        p.put("documents", corpus.lines());
        p.put("skipped_empty_text", corpus.skippedEmpty().size());
        p.put("train_documents", split.train().size());
        p.put("valid_documents", split.valid().size());
        p.put("test_documents", split.test().size());
        p.put("dropped_unknown_label", split.dropped().toString());
        p.put("classes", split.labels().size());
        long truncated = trainX.stream().filter(x -> x.length == maxLen).count();
        p.put("train_truncated_fraction", String.format(Locale.ROOT, "%.3f", (double) truncated / trainX.size()));
        p.put("pretrained", String.valueOf(cfg.model().pretrained()));
        p.put("max_len", maxLen);
        p.put("dropout", String.valueOf(cfg.model().dropout()));
        p.put("head_lr_scale", cfg.model().headLrScale());
        return p;
    }

    private static String card(ClassificationConfig cfg, Result r) {
        StringBuilder sb = new StringBuilder("# bert4j text classifier\n\n");
        sb.append("BERT + linear head on the pooled output, fine-tuned by `bert4j finetune-classifier` from ")
                .append(cfg.model().pretrained() == null ? "a randomly initialised encoder"
                        : "`" + Path.of(cfg.model().pretrained()).getFileName() + "`")
                .append(" on ").append(r.split().train().size()).append(" training documents (")
                .append(r.split().valid().size()).append(" validation, ").append(r.split().test().size())
                .append(" test; split: ").append(cfg.data().scheme().describe()).append(").\n\n");
        sb.append("Text: ").append(String.join(" + ", cfg.data().textFields())).append(", the first ")
                .append(cfg.model().maxLen() - 2).append(" tokens. Classes (").append(r.split().labels().size()).append("): ")
                .append(String.join(", ", r.split().labels())).append(".\n\n");
        if (r.valid() != null) {
            sb.append(String.format(Locale.ROOT, "Chosen at step %d by %s: valid accuracy %.4f, macro F1 %.4f.", r.selectedStep(),
                    cfg.train().bestMetric(), r.valid().accuracy(), r.valid().macroF1()));
        }
        if (r.testSelected() != null) {
            sb.append(String.format(Locale.ROOT, " Test (read once, after training): accuracy %.4f, macro F1 %.4f;"
                    + " majority-class baseline (%s): accuracy %.4f, macro F1 %.4f.", r.testSelected().accuracy(),
                    r.testSelected().macroF1(), r.majority(), r.baselineTest().accuracy(), r.baselineTest().macroF1()));
        }
        sb.append("\n\nUse: `bert4j classify --model <dir> --text \"...\"` or `TextClassifier.load(dir).classify(text)`."
                + " Scores: `report.json`; figures: `confusion-valid.png`, `confusion-test.png`, `class-distribution.png`.\n");
        return sb.toString();
    }
}
