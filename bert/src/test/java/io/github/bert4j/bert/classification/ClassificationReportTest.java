package io.github.bert4j.bert.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ClassificationReport} against values computed by hand. */
class ClassificationReportTest {

    static final List<String> LABELS = List.of("a", "b", "c", "d");

    @Test
    void scoresMatchTheHandComputedValuesIncludingANeverPredictedClass() {
        // gold a a a b b c c; predicted a a b b a a b: c is never predicted, d is neither gold nor predicted
        int[] gold = {0, 0, 0, 1, 1, 2, 2};
        int[] pred = {0, 0, 1, 1, 0, 0, 1};
        ClassificationReport r = ClassificationReport.of(LABELS, gold, pred, 0.75);
        assertThat(r.confusion()).isDeepEqualTo(new int[][] {{2, 1, 0, 0}, {1, 1, 0, 0}, {1, 1, 0, 0}, {0, 0, 0, 0}});
        assertThat(r.examples()).isEqualTo(7);
        assertThat(r.accuracy()).isCloseTo(3.0 / 7, within(1e-12));
        ClassificationReport.ClassScores a = r.perClass().get(0);
        assertThat(a.precision()).isCloseTo(2.0 / 4, within(1e-12));
        assertThat(a.recall()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(a.f1()).isCloseTo(4.0 / 7, within(1e-12));
        assertThat(a.support()).isEqualTo(3);
        assertThat(a.predicted()).isEqualTo(4);
        ClassificationReport.ClassScores b = r.perClass().get(1);
        assertThat(b.precision()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(b.recall()).isCloseTo(0.5, within(1e-12));
        assertThat(b.f1()).isCloseTo(0.4, within(1e-12));
        ClassificationReport.ClassScores c = r.perClass().get(2);
        assertThat(c).isEqualTo(new ClassificationReport.ClassScores("c", 0, 0, 0, 2, 0));
        assertThat(r.perClass().get(3)).isEqualTo(new ClassificationReport.ClassScores("d", 0, 0, 0, 0, 0));
        // macro F1: the mean over a, b, c (c counts with 0; d, absent from gold and predictions, is left out)
        assertThat(r.macroClasses()).isEqualTo(3);
        assertThat(r.macroF1()).isCloseTo((4.0 / 7 + 0.4 + 0) / 3, within(1e-12));
        assertThat(r.weightedF1()).isCloseTo((3 * 4.0 / 7 + 2 * 0.4) / 7, within(1e-12));
        assertThat(r.asMetrics()).containsOnlyKeys("loss", "accuracy", "macro_f1", "weighted_f1").containsEntry("loss", 0.75);
    }

    @Test
    void theMajorityBaselinePredictsTheMostFrequentTrainingClass() {
        int majority = ClassificationReport.majority(new int[] {1, 1, 0, 2, 1}, 4);
        assertThat(majority).isEqualTo(1);
        assertThat(ClassificationReport.majority(new int[] {1, 0, 1, 0}, 4)).as("ties: the smaller id").isZero();
        ClassificationReport r = ClassificationReport.constant(LABELS, new int[] {0, 0, 0, 1, 1, 2, 2}, majority);
        assertThat(r.accuracy()).isCloseTo(2.0 / 7, within(1e-12));
        // b: precision 2/7, recall 1, F1 4/9; a and c: 0; d not counted
        assertThat(r.perClass().get(1).f1()).isCloseTo(4.0 / 9, within(1e-12));
        assertThat(r.macroF1()).isCloseTo(4.0 / 27, within(1e-12));
        assertThat(r.loss()).isNull();
        assertThat(r.asMetrics()).doesNotContainKey("loss");
    }

    @Test
    void theJsonHasSnakeCaseKeysInOrderAndTheConfusionMatrix() {
        ClassificationReport r = ClassificationReport.of(List.of("정치", "경제"), new int[] {0, 1, 1}, new int[] {0, 0, 1}, null);
        JsonNode j = r.toJsonNode();
        assertThat(j.fieldNames()).toIterable().containsExactly("examples", "accuracy", "macro_f1", "weighted_f1",
                "macro_classes", "labels", "per_class", "confusion");
        assertThat(j.get("per_class").get(0).get("label").asText()).isEqualTo("정치");
        assertThat(j.get("per_class").get(1).fieldNames()).toIterable()
                .containsExactly("label", "precision", "recall", "f1", "support", "predicted");
        assertThat(j.get("confusion").toString()).isEqualTo("[[1,0],[1,1]]");
        assertThat(r.toJson()).startsWith("{\"examples\":3,\"accuracy\":0.6666666666666666,");
    }

    @Test
    void badInputIsRefused() {
        assertThatThrownBy(() -> ClassificationReport.of(LABELS, new int[] {0}, new int[] {0, 1}, null))
                .hasMessageContaining("1 gold labels for 2 predictions");
        assertThatThrownBy(() -> ClassificationReport.of(LABELS, new int[] {4}, new int[] {0}, null))
                .hasMessageContaining("[0, 4)");
    }
}
