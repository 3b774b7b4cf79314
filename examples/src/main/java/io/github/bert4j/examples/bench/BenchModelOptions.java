package io.github.bert4j.examples.bench;

import io.github.bert4j.bert.pretraining.PretrainConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options {@code bench pretrain}, {@code bench infer} and {@code bench ner} share: which model, how long, which seed, PyTorch or not. */
final class BenchModelOptions {

    @Option(names = "--preset", defaultValue = "seed", description = "seed | base | tiny (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--config", paramLabel = "FILE", description = "A pretraining config: its model and shapes (overrides --preset).")
    Path config;

    @Option(names = "--steps", defaultValue = "5", description = "Measured steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "2", description = "Warm-up steps, not measured (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of weights and data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--compare-pytorch", description = "Also time the same model in PyTorch 2.7.1 (DJL) in a JVM of its "
            + "own and print one line per workload with both figures and the ratio (needs a build with -Pbench).")
    boolean comparePytorch;

    @Option(names = "--min-ratio", paramLabel = "R", description = "With --compare-pytorch: exit with status "
            + BELOW_MIN_RATIO + " when a workload's ratio bert4j / PyTorch is below R (a gate against speed regressions).")
    Double minRatio;

    /** Exit status of a comparison whose ratio fell below {@code --min-ratio}. */
    static final int BELOW_MIN_RATIO = 3;

    /**
     * The exit status for a comparison's ratios (workload → bert4j / PyTorch): {@link
     * #BELOW_MIN_RATIO}, with one line on {@code err} per workload below {@code minRatio}, or 0 (also
     * when {@code minRatio} is null).
     */
    static int verdict(Double minRatio, java.util.Map<String, Double> ratios, java.io.PrintStream err) {
        if (minRatio == null) {
            return 0;
        }
        int status = 0;
        for (java.util.Map.Entry<String, Double> e : ratios.entrySet()) {
            if (!(e.getValue() >= minRatio)) {
                err.printf(java.util.Locale.ROOT, "bench: %s ratio %.3f is below --min-ratio %.3f%n", e.getKey(), e.getValue(),
                        minRatio);
                status = BELOW_MIN_RATIO;
            }
        }
        return status;
    }

    /** {@link #verdict} for this command's {@code --min-ratio}, on {@code System.err}. */
    int verdict(java.util.Map<String, Double> ratios) {
        return verdict(minRatio, ratios, System.err);
    }

    /** The preset's or the config's setup, with the given overrides (null: keep). */
    BenchPretrainCommand.Setup setup(Integer batchSize, Integer seqLength) {
        if (minRatio != null && !comparePytorch) {
            throw new IllegalArgumentException("--min-ratio needs --compare-pytorch");
        }
        if (minRatio != null && !(minRatio > 0)) {
            throw new IllegalArgumentException("--min-ratio must be > 0, got " + minRatio);
        }
        threadSettingsHint().ifPresent(System.err::println);
        if (!io.github.bert4j.bert.BertEncoder.vectorKernels()) {
            System.err.println("note: the JVM runs without --add-modules jdk.incubator.vector, so attention falls back to "
                    + "ND4J's batched matmul (~1.4x slower inference); ./bert4j adds it");
        }
        BenchPretrainCommand.Setup s = config != null
                ? BenchPretrainCommand.fromConfig(PretrainConfig.load(config), config.getFileName().toString())
                : BenchPretrainCommand.preset(preset);
        s = new BenchPretrainCommand.Setup(s.name(), s.model(), batchSize != null ? batchSize : s.batchSize(),
                seqLength != null ? seqLength : s.seqLength());
        if (s.seqLength() > s.model().maxPositionEmbeddings()) {
            throw new IllegalArgumentException("sequence length " + s.seqLength() + " exceeds max_position_embeddings "
                    + s.model().maxPositionEmbeddings());
        }
        return s;
    }

    /**
     * A note for stderr when ND4J's native thread pools will spin while idle (neither {@link
     * PyTorchComparison#THREAD_WAIT_SETTINGS} set, as the {@code ./bert4j} launcher sets them).
     */
    static java.util.Optional<String> threadSettingsHint() {
        if (PyTorchComparison.THREAD_WAIT_SETTINGS.stream().anyMatch(k -> System.getenv(k) != null)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("note: OMP_WAIT_POLICY and OPENBLAS_THREAD_TIMEOUT are unset, so idle native threads "
                + "spin; ./bert4j sets PASSIVE and 4 (about 20% faster inference on 2 cores)");
    }
}
