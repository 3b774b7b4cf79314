package io.github.bert4j.examples.api;

import io.github.bert4j.bert.pretraining.PretrainConfig;
import io.github.bert4j.bert.pretraining.Pretrainer;
import io.github.bert4j.core.train.TrainResult;
import java.io.IOException;
import java.nio.file.Path;

/** README: pretrain (MLM + NSP) from a config. */
public final class PretrainExample {
    private PretrainExample() {
    }

    // README:begin
    /** e.g. pretrain(Path.of("examples/configs/seed-pretrain.yaml"), Path.of("runs/seed")) */
    public static TrainResult pretrain(Path config, Path output) throws IOException {
        PretrainConfig cfg = PretrainConfig.load(config);      // relative paths in it: against the file
        return Pretrainer.run(cfg, output, /* resume */ false);
        // output/model: config.json, model.safetensors, tokenizer.json, vocab.txt, README.md
    }
    // README:end
}
