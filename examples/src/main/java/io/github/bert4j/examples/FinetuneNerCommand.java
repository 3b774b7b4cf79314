package io.github.bert4j.examples;

import io.github.bert4j.core.config.ConfigException;
import io.github.bert4j.ner.NerConfig;
import io.github.bert4j.ner.NerFineTuning;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bert4j finetune-ner --config ner.yaml [--output DIR] [--resume | --overwrite]}: fine-tunes BERT + CRF
 * on KLUE-format data (the ner module's {@link NerFineTuning}); {@code DIR} becomes the model
 * directory (best checkpoint by {@code train.best_metric}), with {@code DIR/checkpoints/} and
 * {@code DIR/eval.json}. Paths inside the config are relative to the working directory (run from
 * the repository root for the configs in {@code examples/configs}).
 *
 * <pre>{@code
 * bert4j finetune-ner --config examples/configs/klue-ner.yaml --output runs/klue-ner
 * }</pre>
 */
@Command(name = "finetune-ner", mixinStandardHelpOptions = true,
        description = "Fine-tune BERT+CRF for NER from a YAML/JSON config; the output directory is the model.")
public final class FinetuneNerCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "ner.yaml (or .json).")
    Path config;

    @Option(names = "--output", paramLabel = "DIR",
            description = "Model directory to write (default: runs/<config file name without extension>).")
    Path output;

    @Mixin
    RunOptions run = new RunOptions();

    @Override
    public Integer call() throws IOException {
        Path out = output != null ? output : defaultOutput(config);
        NerFineTuning.Result r;
        try {
            r = run(NerConfig.load(config), out, run.resume(), run.overwrite());
        } catch (ConfigException e) {
            // a path the config names is missing: say which config named it
            throw e.source() == null ? e.withSource(config.toString()) : e;
        }
        System.out.print(summary(r));
        return 0;
    }

    /** Fine-tunes as {@code cfg} says and writes the model directory {@code output}. */
    public static NerFineTuning.Result run(NerConfig cfg, Path output, boolean resume, boolean overwrite)
            throws IOException {
        return NerFineTuning.run(cfg, output, resume, overwrite);
    }

    /** {@code runs/<name>} for {@code .../<name>.yaml}. */
    public static Path defaultOutput(Path config) {
        String name = config.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
        return Path.of("runs", name);
    }

    /** The table printed at the end of a run. */
    public static String summary(NerFineTuning.Result r) {
        Map<String, Number> m = new LinkedHashMap<>();
        m.put("train_sentences", r.trainSentences());
        m.put("valid_sentences", r.validSentences());
        m.put("steps", r.train().steps());
        m.put("seconds", r.train().seconds());
        if (r.validReport() != null) {
            r.validReport().asMetrics().forEach((k, v) -> m.put("valid_" + k, v));
        }
        return MetricsTable.format("NER fine-tuning finished; model directory: " + r.modelDir(), m);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new FinetuneNerCommand()).execute(args));
    }
}
