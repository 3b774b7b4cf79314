package io.github.bert4j.bert.pretraining;

import io.github.bert4j.bert.pretraining.shards.ShardSet;
import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.core.train.TrainResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The {@code README.md} of a pretrained model directory: what the model is and how it was trained. */
final class ModelCard {

    private ModelCard() {
    }

    static String render(PretrainConfig cfg, BertConfig model, int vocabSize, ShardSet train, ShardSet valid,
                         ShardSet extra, TrainResult result, List<String> corpusFiles) {
        StringBuilder sb = new StringBuilder();
        sb.append("# BERT pretrained with bert4j (").append(cfg.preset()).append(" preset)\n\n");
        sb.append("A BERT encoder with masked-language-model");
        sb.append(cfg.train().trainNsp() ? " and next-sentence-prediction heads" : " head");
        sb.append(", trained from scratch by `bert4j pretrain`. The files follow HuggingFace's layout ")
                .append("(`config.json`, `model.safetensors` with `BertForPreTraining` parameter names, ")
                .append("`tokenizer.json`, `vocab.txt`).\n\n");
        sb.append("## Model\n\n");
        sb.append(String.format(Locale.ROOT, "| hidden | layers | heads | FFN | max positions | vocabulary |%n|---|---|---|---|---|---|%n| %d | %d | %d | %d | %d | %d |%n%n",
                model.hiddenSize(), model.numHiddenLayers(), model.numAttentionHeads(), model.intermediateSize(),
                model.maxPositionEmbeddings(), vocabSize));
        sb.append("## Data\n\n");
        sb.append("- corpus: ").append(String.join(", ", corpusFiles.stream().map(f -> "`" + f + "`").toList()))
                .append(" (format `").append(cfg.data().format()).append("`)\n");
        sb.append(String.format(Locale.ROOT, "- train: %,d documents, %,d sentences, %,d tokens%n", train.documents(), train.sentences(), train.tokens()));
        if (valid != null) {
            sb.append(String.format(Locale.ROOT, "- valid (%.0f%% of documents, split by document id): %,d documents, %,d tokens%n",
                    100 * cfg.data().validFraction(), valid.documents(), valid.tokens()));
        }
        if (extra != null) {
            sb.append(String.format(Locale.ROOT, "- extra MLM-only text: %,d documents, %,d tokens%n", extra.documents(), extra.tokens()));
        }
        sb.append(String.format(Locale.ROOT, "- instances: max length %d, NSP random-B probability %.2f, short-sequence probability %.2f; "
                        + "masking %.0f%% (max %d per sequence, 80/10/10)%s, %s masks%n%n",
                cfg.data().maxLen(), cfg.data().nspProb(), cfg.data().shortSeqProb(), 100 * cfg.data().maskRatio(),
                cfg.data().maxPredictionsPerSeq(), cfg.data().wholeWordMasking() ? ", whole words" : "",
                cfg.data().dynamicMasking() ? "dynamic" : "static"));
        sb.append("## Training\n\n");
        var t = cfg.train();
        sb.append(String.format(Locale.ROOT, "AdamW (lr %.2g, weight decay %.2g, betas %.3g/%.3g, eps %.1g), %s schedule with %d warm-up steps, "
                        + "batch %d x %d accumulation, gradient clipping %.2g, seed %d.%n%n",
                t.lr(), t.weightDecay(), t.adamBeta1(), t.adamBeta2(), t.adamEps(), t.scheduler().jsonName(), t.warmupSteps(),
                t.batchSize(), t.gradAccumulation(), t.maxGradNorm(), t.seed()));
        if (result != null) {
            sb.append(String.format(Locale.ROOT, "%,d optimizer steps, %,d tokens, %.0f s (%.0f tokens/s).%n%n",
                    result.steps(), result.tokens(), result.seconds(), result.seconds() > 0 ? result.tokens() / result.seconds() : 0));
            sb.append("## Results\n\n| metric | train (last interval) | valid (best) |\n|---|---|---|\n");
            Map<String, Double> tr = new TreeMap<>(result.lastTrain());
            for (String k : List.of("mlm_loss", "mlm_acc", "nsp_loss", "nsp_acc")) {
                Double a = tr.getOrDefault(k, tr.get("train_" + k));
                Double b = result.bestValid().getOrDefault("valid_" + k, result.bestValid().get(k));
                if (a != null || b != null) {
                    sb.append("| ").append(k).append(" | ").append(fmt(a)).append(" | ").append(fmt(b)).append(" |\n");
                }
            }
            sb.append('\n');
        }
        sb.append("Reproduce with `bert4j pretrain --config <the config below>`:\n\n```yaml\n").append(cfg.toYaml()).append("```\n");
        return sb.toString();
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
