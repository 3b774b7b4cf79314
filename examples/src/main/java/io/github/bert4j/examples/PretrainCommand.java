package io.github.bert4j.examples;

import io.github.bert4j.bert.pretraining.PretrainConfig;
import io.github.bert4j.bert.pretraining.Pretrainer;
import io.github.bert4j.core.train.TrainResult;
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
 * {@code bert4j pretrain --config pretrain.yaml [--output DIR] [--resume | --overwrite]}: MLM + NSP pretraining
 * as the config says (corpus, tokenizer, model, train sections; see {@link PretrainConfig}). The
 * final model directory is {@code <output>/model}; checkpoints are {@code <output>/last} and
 * {@code <output>/best}; the run is tracked in the MLflow layout under the config's {@code mlruns}.
 *
 * <pre>{@code
 * bert4j pretrain --config examples/configs/seed-pretrain.yaml
 * }</pre>
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Pretrain BERT (MLM + NSP) from a YAML/JSON config.")
public final class PretrainCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "pretrain.yaml (or .json).")
    Path config;

    @Option(names = "--output", paramLabel = "DIR", description = "Output directory (default: the config's output).")
    Path output;

    @Mixin
    RunOptions run = new RunOptions();

    @Override
    public Integer call() throws IOException {
        TrainResult r = run(PretrainConfig.load(config), output, run.resume(), run.overwrite());
        System.out.print(summary(r));
        return 0;
    }

    /** Runs the pretraining; {@code output} null means the config's output directory. */
    public static TrainResult run(PretrainConfig cfg, Path output, boolean resume, boolean overwrite) throws IOException {
        return Pretrainer.run(cfg, output, resume, overwrite);
    }

    /** The final model directory of a run. */
    public static Path modelDir(PretrainConfig cfg, Path output) {
        return (output != null ? output : Path.of(cfg.output())).toAbsolutePath().resolve(Pretrainer.MODEL_DIR);
    }

    /** Steps, tokens, time and the best validation metrics, as printed at the end of a run. */
    public static String summary(TrainResult r) {
        Map<String, Number> m = new LinkedHashMap<>();
        m.put("steps", r.steps());
        m.put("tokens", r.tokens());
        m.put("seconds", r.seconds());
        m.put("tokens_per_s", r.seconds() > 0 ? r.tokens() / r.seconds() : 0.0);
        m.putAll(r.lastTrain());
        m.putAll(r.bestValid());
        return MetricsTable.format("pretraining finished; checkpoints: " + r.lastDir().getParent(), m);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new PretrainCommand()).execute(args));
    }
}
