package io.github.bert4j.bert.classification;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scores of a classifier on one labelled split.
 *
 * <p>Definitions (scikit-learn's, {@code zero_division=0}): per class, precision = TP / predicted
 * (0 when never predicted), recall = TP / support (0 without support), F1 = 2PR / (P + R) (0 when
 * both are 0). {@code macro_f1} is the unweighted mean of the per-class F1 over the classes that
 * occur in the gold labels or in the predictions of this split ({@code macro_classes} of them: a
 * class that is neither in the split nor predicted has no F1 and is left out; a class in the split
 * that is never predicted counts with F1 0). {@code weighted_f1} weights each class's F1 by its
 * support. {@code confusion[g][p]} counts documents of gold class {@code g} predicted as {@code p},
 * in label order.
 *
 * @param loss the mean cross-entropy of the gold class, or null when not computed (e.g. a baseline)
 */
@JsonPropertyOrder({"examples", "accuracy", "macro_f1", "weighted_f1", "macro_classes", "loss", "labels", "per_class",
    "confusion"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClassificationReport(int examples, double accuracy, double macroF1, double weightedF1, int macroClasses,
        Double loss, List<String> labels, List<ClassScores> perClass, int[][] confusion) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** One class's scores. */
    @JsonPropertyOrder({"label", "precision", "recall", "f1", "support", "predicted"})
    public record ClassScores(String label, double precision, double recall, double f1, int support, int predicted) {}

    public ClassificationReport {
        labels = List.copyOf(labels);
        perClass = List.copyOf(perClass);
    }

    /**
     * Scores {@code predicted} against {@code gold} (class ids into {@code labels}).
     *
     * @param loss the mean cross-entropy, or null
     */
    public static ClassificationReport of(List<String> labels, int[] gold, int[] predicted, Double loss) {
        if (gold.length != predicted.length) {
            throw new IllegalArgumentException(gold.length + " gold labels for " + predicted.length + " predictions");
        }
        int c = labels.size();
        int[][] confusion = new int[c][c];
        int correct = 0;
        for (int i = 0; i < gold.length; i++) {
            if (gold[i] < 0 || gold[i] >= c || predicted[i] < 0 || predicted[i] >= c) {
                throw new IllegalArgumentException("class ids must be in [0, " + c + "), got gold " + gold[i]
                        + ", predicted " + predicted[i] + " at " + i);
            }
            confusion[gold[i]][predicted[i]]++;
            if (gold[i] == predicted[i]) correct++;
        }
        List<ClassScores> per = new ArrayList<>(c);
        double macroSum = 0;
        double weightedSum = 0;
        int macroClasses = 0;
        for (int k = 0; k < c; k++) {
            int tp = confusion[k][k];
            int support = 0;
            int pred = 0;
            for (int j = 0; j < c; j++) {
                support += confusion[k][j];
                pred += confusion[j][k];
            }
            double p = pred == 0 ? 0 : (double) tp / pred;
            double r = support == 0 ? 0 : (double) tp / support;
            double f1 = p + r == 0 ? 0 : 2 * p * r / (p + r);
            per.add(new ClassScores(labels.get(k), p, r, f1, support, pred));
            if (support > 0 || pred > 0) {
                macroSum += f1;
                macroClasses++;
            }
            weightedSum += f1 * support;
        }
        int n = gold.length;
        return new ClassificationReport(n, n == 0 ? 0 : (double) correct / n, macroClasses == 0 ? 0 : macroSum / macroClasses,
                n == 0 ? 0 : weightedSum / n, macroClasses, loss, labels, per, confusion);
    }

    /**
     * The majority-class baseline: always predicting {@code majority} (e.g. the most frequent
     * class of train, {@link #majority}) on documents of gold classes {@code gold}.
     */
    public static ClassificationReport constant(List<String> labels, int[] gold, int majority) {
        int[] pred = new int[gold.length];
        java.util.Arrays.fill(pred, majority);
        return of(labels, gold, pred, null);
    }

    /** The most frequent class id of {@code ids} (ties: the smaller id). */
    public static int majority(int[] ids, int classes) {
        int[] count = new int[classes];
        for (int id : ids) count[id]++;
        int best = 0;
        for (int k = 1; k < classes; k++) {
            if (count[k] > count[best]) best = k;
        }
        return best;
    }

    /** Accuracy, macro and weighted F1, loss when known: the metrics a trainer logs (without prefix). */
    public Map<String, Double> asMetrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (loss != null) m.put("loss", loss);
        m.put("accuracy", accuracy);
        m.put("macro_f1", macroF1);
        m.put("weighted_f1", weightedF1);
        return m;
    }

    /** This report as a JSON tree (snake_case keys in the order of the record). */
    public JsonNode toJsonNode() {
        return JSON.valueToTree(this);
    }

    /** This report as one line of JSON. */
    public String toJson() {
        return toJsonNode().toString();
    }
}
