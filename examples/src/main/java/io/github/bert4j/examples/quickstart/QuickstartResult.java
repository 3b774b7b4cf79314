package io.github.bert4j.examples.quickstart;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a quickstart run produced.
 *
 * @param preset the preset that ran
 * @param encoderDir the pretrained encoder's model directory
 * @param modelDir the fine-tuned NER model directory (what {@code bert4j tag --model} takes)
 * @param pretrainTrain last training metrics of pretraining ({@code train_mlm_acc}, ...)
 * @param pretrainValid best validation metrics of pretraining ({@code valid_mlm_acc}, ...)
 * @param nerTest KLUE metrics on the NER test split ({@code entity_macro_f1}, {@code char_macro_f1}, ...)
 * @param tagged the example sentences with their entities, one JSON line each
 * @param mlruns the MLflow-layout tracking folder
 * @param plotDirs the {@code artifacts} folders of this run's two tracked runs (one PNG per metric)
 * @param seconds wall time of the whole run
 */
public record QuickstartResult(QuickstartOptions.Preset preset, Path encoderDir, Path modelDir,
                               Map<String, Double> pretrainTrain, Map<String, Double> pretrainValid,
                               Map<String, Double> nerTest, List<String> tagged, Path mlruns, List<Path> plotDirs,
                               double seconds) {

    public QuickstartResult {
        pretrainTrain = Map.copyOf(pretrainTrain);
        pretrainValid = Map.copyOf(pretrainValid);
        nerTest = Map.copyOf(nerTest);
        tagged = List.copyOf(tagged);
        plotDirs = List.copyOf(plotDirs);
    }

    /** The headline numbers, in the order of the table. */
    public Map<String, Double> headline() {
        Map<String, Double> m = new LinkedHashMap<>();
        put(m, "pretrain valid MLM accuracy", pretrainValid.get("valid_mlm_acc"));
        put(m, "pretrain valid NSP accuracy", pretrainValid.get("valid_nsp_acc"));
        put(m, "NER test entity macro F1", nerTest.get("entity_macro_f1"));
        put(m, "NER test char macro F1", nerTest.get("char_macro_f1"));
        return m;
    }

    /** The closing table: metrics, wall time, where the model and the runs are. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n== quickstart (%s) finished in %.1f min%n", preset, seconds / 60));
        Map<String, Double> h = headline();
        int w = h.keySet().stream().mapToInt(String::length).max().orElse(0);
        sb.append(String.format(Locale.ROOT, "  %-" + w + "s  %s%n", "metric", "value"));
        sb.append("  ").append("-".repeat(w)).append("  ").append("------").append('\n');
        h.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-" + w + "s  %.4f%n", k, v)));
        sb.append("  model directory: ").append(modelDir).append('\n');
        sb.append("  runs (MLflow layout): ").append(mlruns)
                .append("  ->  mlflow ui --backend-store-uri ").append(mlruns).append('\n');
        for (Path p : plotDirs) {
            sb.append("  plots (PNG per metric) and metrics.csv: ").append(p).append('\n');
        }
        if (preset == QuickstartOptions.Preset.TINY) {
            sb.append("  (tiny is a smoke test of the pipeline: 20 steps of a 32-wide model learn next to nothing, so an\n"
                    + "   NER F1 of 0 and \"no entities found\" are expected; the default preset trains a real one)\n");
        }
        return sb.toString();
    }

    private static void put(Map<String, Double> m, String k, Double v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
