package io.github.bert4j.examples.quickstart;

import io.github.bert4j.bert.pretraining.PretrainConfig;
import io.github.bert4j.bert.pretraining.Pretrainer;
import io.github.bert4j.core.train.TrainResult;
import io.github.bert4j.ner.NerConfig;
import io.github.bert4j.ner.NerPredictor;
import io.github.bert4j.ner.NerFineTuning;
import io.github.bert4j.ner.align.Entity;
import io.github.bert4j.ner.eval.KlueReport;
import io.github.bert4j.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The whole Korean pipeline on the bundled data, with no network:
 *
 * <ol>
 *   <li><b>tokenizer</b> — a WordPiece vocabulary trained on Nori morphemes of the petitions'
 *       training documents ({@link Pretrainer} does this from the config's {@code tokenizer}
 *       section, before pretraining);</li>
 *   <li><b>pretraining</b> — a small BERT with MLM + NSP on the petitions, split by document;</li>
 *   <li><b>fine-tuning</b> — BERT + CRF on KLUE NER, train/test split by sentence index;</li>
 *   <li><b>evaluation</b> — KLUE's entity macro F1 and character macro F1 on the test split;</li>
 *   <li><b>tagging</b> — three Korean sentences, entities printed.</li>
 * </ol>
 *
 * Each stage's settings are a YAML file in {@code examples/configs} ({@link QuickstartOptions.Preset}),
 * loaded by the library's own config records; this class only wires the stages together and
 * redirects their outputs into the work directory. Runs are tracked in the MLflow layout under
 * {@code <work>/mlruns} ({@code mlflow ui --backend-store-uri <work>/mlruns}).
 *
 * <pre>{@code
 * ./bert4j quickstart                       # about 2-3 minutes on 2 cores (2.2 min measured)
 * ./bert4j quickstart --preset tiny         # a minute or two
 * }</pre>
 */
public final class Quickstart {

    /** Three sentences the quickstart tags at the end (not taken from the KLUE data). */
    public static final List<String> EXAMPLE_SENTENCES = List.of(
            "이순신 장군은 1592년 한산도 앞바다에서 일본 수군을 크게 물리쳤다.",
            "삼성전자는 오는 3월 15일 서울 코엑스에서 신제품 발표회를 연다고 밝혔다.",
            "김연아 선수는 2010년 밴쿠버 동계올림픽에서 금메달을 땄다.");

    private final QuickstartOptions options;
    private final PrintStream out;

    public Quickstart(QuickstartOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs every stage and returns the metrics and the model directory. */
    public static QuickstartResult run(QuickstartOptions options) throws IOException {
        return new Quickstart(options, System.out).run();
    }

    public QuickstartResult run() throws IOException {
        long t0 = System.nanoTime();
        java.nio.file.attribute.FileTime startedAt = java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 1000);
        Path work = options.workDir().toAbsolutePath().normalize();
        Path mlruns = work.resolve("mlruns");
        Files.createDirectories(work);

        out.printf("== 1-2. tokenizer (Nori morphemes + WordPiece) and pretraining (MLM + NSP), preset %s%n",
                options.preset());
        PretrainConfig pretrainConfig = PretrainConfig.load(config(options.preset().pretrainConfig()))
                .withOutput(work.resolve("pretrain").toString(), mlruns.toString());
        TrainResult pretrain = Pretrainer.run(pretrainConfig, null, false, true); // the work dir is the quickstart's own: a rerun starts over
        Path encoderDir = work.resolve("pretrain").resolve(Pretrainer.MODEL_DIR);
        Tokenizer tokenizer = Tokenizer.load(encoderDir);
        out.printf("   vocabulary: %d tokens; \"%s\" -> %s%n", tokenizer.vocab().size(), EXAMPLE_SENTENCES.get(0),
                Arrays.toString(tokenizer.encode(EXAMPLE_SENTENCES.get(0), false).tokens()));
        out.printf("   pretrained encoder: %s (%d steps, %.0f s)%n", encoderDir, pretrain.steps(), pretrain.seconds());

        out.printf("%n== 3. fine-tuning BERT + CRF on KLUE NER (train/test split by sentence index)%n");
        NerConfig nerConfig = nerConfig(NerConfig.load(config(options.preset().nerConfig())), encoderDir, mlruns);
        NerFineTuning.Result ner = NerFineTuning.run(nerConfig, work.resolve("ner"), false, true);
        out.printf("   %d train / %d test sentences, %d steps, %.0f s%n", ner.trainSentences(), ner.validSentences(),
                ner.train().steps(), ner.train().seconds());

        out.printf("%n== 4. evaluation on the %d test sentences (KLUE metrics)%n", ner.validSentences());
        KlueReport report = ner.validReport();
        out.println("   " + report.toJson());

        out.printf("%n== 5. tagging example sentences%n");
        List<String> tagged = new ArrayList<>();
        try (NerPredictor predictor = NerPredictor.load(ner.modelDir())) {
            List<List<Entity>> entities = predictor.predictBatch(EXAMPLE_SENTENCES);
            String noEntities = options.preset() == QuickstartOptions.Preset.TINY
                    ? "(no entities found: expected after the tiny smoke run)" : "(no entities found)";
            for (int i = 0; i < EXAMPLE_SENTENCES.size(); i++) {
                tagged.add(NerPredictor.toJson(EXAMPLE_SENTENCES.get(i), entities.get(i)));
                out.println("   " + EXAMPLE_SENTENCES.get(i));
                out.println("      " + (entities.get(i).isEmpty() ? noEntities : entities.get(i).stream()
                        .map(e -> e.text() + "/" + e.type() + " [" + e.start() + "," + e.end() + ")")
                        .collect(Collectors.joining("  "))));
            }
        }
        return new QuickstartResult(options.preset(), encoderDir, ner.modelDir(), pretrain.lastTrain(),
                pretrain.bestValid(), report.asMetrics(), tagged, mlruns, plotDirs(mlruns, startedAt),
                (System.nanoTime() - t0) / 1e9);
    }

    /** The {@code artifacts} folders under {@code mlruns} of the runs that wrote plots since {@code since}. */
    static List<Path> plotDirs(Path mlruns, java.nio.file.attribute.FileTime since) throws IOException {
        if (!Files.isDirectory(mlruns)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> files = Files.walk(mlruns)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".png")
                            && f.getParent().getFileName().toString().equals("artifacts"))
                    .filter(f -> {
                        try {
                            return Files.getLastModifiedTime(f).compareTo(since) >= 0;
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .map(Path::getParent).distinct().sorted().toList();
        }
    }

    /**
     * The preset's NER config (its relative paths already resolved against the config file)
     * fine-tuning {@code encoderDir} and tracking into {@code mlruns}.
     */
    private static NerConfig nerConfig(NerConfig c, Path encoderDir, Path mlruns) {
        NerConfig.Data data = c.data();
        NerConfig.Model m = c.model();
        NerConfig.Model model = new NerConfig.Model(encoderDir.toString(), null, null, m.maxLen(), m.stride(), m.dropout(),
                m.bioConstraints(), m.bucket(), m.evalBatchSize(), m.seed(), m.headLr(), m.layerLrDecay(),
                m.calibrateScores());
        NerConfig.Tracking tracking = new NerConfig.Tracking(mlruns.toString(), c.tracking().experiment(), c.tracking().runName());
        return new NerConfig(data, model, c.train(), tracking);
    }

    private Path config(String name) {
        Path p = options.configsDir().resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("quickstart config not found: " + p
                    + " (run from the bert4j repository, or pass --configs DIR)");
        }
        return p;
    }

    /** {@code main} of the example: {@code Quickstart [tiny|default] [workDir]}. */
    public static void main(String[] args) throws IOException {
        QuickstartOptions.Preset preset = args.length > 0 ? QuickstartOptions.Preset.parse(args[0])
                : QuickstartOptions.Preset.DEFAULT;
        Path work = args.length > 1 ? Path.of(args[1]) : QuickstartOptions.defaultWorkDir(preset);
        QuickstartResult r = run(QuickstartOptions.of(preset, work));
        System.out.print(r.table());
    }
}
