package io.github.bert4j.examples;

import io.github.bert4j.bert.classification.ClassificationConfig;
import io.github.bert4j.bert.classification.ClassificationFineTuning;
import io.github.bert4j.core.config.ConfigException;
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
 * {@code bert4j finetune-classifier --config FILE [--output DIR] [--resume | --overwrite]}:
 * fine-tunes BERT for document classification (the bert module's {@link ClassificationFineTuning});
 * {@code DIR} (default: the config's {@code output}, else {@code runs/<config name>}) becomes the
 * model directory (best checkpoint by {@code train.best_metric} on the validation split), with
 * {@code report.json}, the confusion-matrix and class-distribution PNGs and {@code DIR/checkpoints/}.
 *
 * <pre>{@code
 * bert4j finetune-classifier --config examples/configs/petition-category.yaml
 * }</pre>
 */
@Command(name = "finetune-classifier", mixinStandardHelpOptions = true,
        description = "Fine-tune BERT for text classification from a YAML/JSON config; the output directory is the model.")
public final class FinetuneClassifierCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "classification.yaml (or .json).")
    Path config;

    @Option(names = "--output", paramLabel = "DIR",
            description = "Model directory to write (default: the config's output, else runs/<config file name>).")
    Path output;

    @Mixin
    RunOptions run = new RunOptions();

    @Override
    public Integer call() throws IOException {
        ClassificationFineTuning.Result r;
        try {
            ClassificationConfig cfg = ClassificationConfig.load(config);
            Path out = output != null ? output : cfg.output() != null ? Path.of(cfg.output())
                    : FinetuneNerCommand.defaultOutput(config);
            r = ClassificationFineTuning.run(cfg, out, run.resume(), run.overwrite());
        } catch (ConfigException e) {
            // a path the config names is missing: say which config named it
            throw e.source() == null ? e.withSource(config.toString()) : e;
        }
        System.out.print(summary(r));
        return 0;
    }

    /** The table printed at the end of a run. */
    public static String summary(ClassificationFineTuning.Result r) {
        Map<String, Number> m = new LinkedHashMap<>();
        m.put("train_documents", r.split().train().size());
        m.put("valid_documents", r.split().valid().size());
        m.put("test_documents", r.split().test().size());
        m.put("classes", r.split().labels().size());
        m.put("steps", r.train().steps());
        m.put("selected_step", r.selectedStep());
        m.put("seconds", r.train().seconds());
        if (r.valid() != null) {
            m.put("valid_accuracy", r.valid().accuracy());
            m.put("valid_macro_f1", r.valid().macroF1());
        }
        if (r.testSelected() != null) {
            m.put("test_accuracy", r.testSelected().accuracy());
            m.put("test_macro_f1", r.testSelected().macroF1());
            m.put("test_last_macro_f1", r.testLast().macroF1());
            m.put("baseline_test_accuracy", r.baselineTest().accuracy());
            m.put("baseline_test_macro_f1", r.baselineTest().macroF1());
        }
        return MetricsTable.format("Classifier fine-tuning finished; model directory: " + r.modelDir()
                + " (report.json; majority class " + r.majority() + ")", m);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new FinetuneClassifierCommand()).execute(args));
    }
}
