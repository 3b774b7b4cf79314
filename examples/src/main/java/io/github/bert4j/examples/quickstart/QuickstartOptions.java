package io.github.bert4j.examples.quickstart;

import io.github.bert4j.examples.ExamplePaths;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What {@link Quickstart#run(QuickstartOptions)} does and where.
 *
 * @param preset size of the run
 * @param workDir where everything is written: {@code pretrain/} (tokenizer, shards, checkpoints,
 *     {@code model/}), {@code ner/} (checkpoints, {@code model/}), {@code mlruns/} (MLflow layout)
 * @param configsDir folder holding the presets' YAML files (normally {@code examples/configs}); their
 *     relative data paths point into the bundled {@code examples/data}
 */
public record QuickstartOptions(Preset preset, Path workDir, Path configsDir) {

    /** The presets: their pretraining and NER config files in {@code examples/configs}. */
    public enum Preset {
        /** A smoke run of a minute or two (CI): tiny model, a few dozen steps each. */
        TINY("quickstart-tiny-pretrain.yaml", "quickstart-tiny-ner.yaml"),
        /** The README's run: at most 15 minutes on a 2-core CPU. */
        DEFAULT("quickstart-pretrain.yaml", "quickstart-ner.yaml");

        private final String pretrainConfig;
        private final String nerConfig;

        Preset(String pretrainConfig, String nerConfig) {
            this.pretrainConfig = pretrainConfig;
            this.nerConfig = nerConfig;
        }

        public String pretrainConfig() {
            return pretrainConfig;
        }

        public String nerConfig() {
            return nerConfig;
        }

        /** {@code tiny} / {@code default}, case-insensitive. */
        public static Preset parse(String s) {
            for (Preset p : values()) {
                if (p.name().equalsIgnoreCase(s.trim())) {
                    return p;
                }
            }
            throw new IllegalArgumentException("preset must be 'tiny' or 'default', got '" + s + "'");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public QuickstartOptions {
        if (preset == null || workDir == null || configsDir == null) {
            throw new IllegalArgumentException("preset, workDir and configsDir are required");
        }
    }

    /** {@code <repo>/runs/quickstart} ({@code quickstart-tiny} for the tiny preset): where the NER configs expect it. */
    public static Path defaultWorkDir(Preset preset) {
        return ExamplePaths.root().resolve("runs").resolve(preset == Preset.TINY ? "quickstart-tiny" : "quickstart");
    }

    /** The preset with the repository's {@code examples/configs} (found by {@link ExamplePaths}). */
    public static QuickstartOptions of(Preset preset, Path workDir) {
        return new QuickstartOptions(preset, workDir, ExamplePaths.configsDir());
    }
}
