package io.github.bert4j.ner.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.bert4j.ner.align.Entity;
import io.github.bert4j.ner.data.TagSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReliabilityTest {

    @Test
    void binsPrecisionAndEceOfAHandMadeCase() {
        Reliability.Builder b = new Reliability.Builder(10);
        // bin 9: 0.95, 0.95, 1.0, 0.9 -> 3 of 4 right; mean 0.95, precision 0.75
        b.add(0.95, true).add(0.95, true).add(1.0, true).add(0.9, false);
        // bin 2: 0.2, 0.3 is bin 3 -> bin 2 gets 0.2 and 0.25 (1 of 2 right): mean 0.225, precision 0.5
        b.add(0.2, false).add(0.25, true);
        // bin 0: 0.0 (wrong): mean 0, precision 0
        b.add(0.0, false);
        Reliability r = b.build();
        assertThat(r.bins()).hasSize(10);
        assertThat(r.entities()).isEqualTo(7);
        assertThat(r.correct()).isEqualTo(4);
        Reliability.Bin top = r.bins().get(9);
        assertThat(top.count()).isEqualTo(4);
        assertThat(top.correct()).isEqualTo(3);
        assertThat(top.meanScore()).isCloseTo(0.95, within(1e-12));
        assertThat(top.precision()).isEqualTo(0.75);
        assertThat(top.lower()).isEqualTo(0.9);
        assertThat(top.upper()).isEqualTo(1.0);
        assertThat(r.bins().get(2).count()).isEqualTo(2);
        assertThat(r.bins().get(2).meanScore()).isCloseTo(0.225, within(1e-12));
        assertThat(r.bins().get(2).precision()).isEqualTo(0.5);
        assertThat(r.bins().get(0).count()).isEqualTo(1);
        assertThat(r.bins().get(0).precision()).isZero();
        assertThat(r.bins().get(5).count()).isZero();
        assertThat(r.bins().get(5).precision()).isNaN();
        // ECE = 4/7 * |0.75 - 0.95| + 2/7 * |0.5 - 0.225| + 1/7 * |0 - 0|
        assertThat(r.expectedCalibrationError()).isCloseTo(4.0 / 7 * 0.2 + 2.0 / 7 * 0.275, within(1e-12));
        assertThat(r.toJson()).startsWith("{\"entities\":7,\"correct\":4,\"ece\":0.192857,\"bins\":[{\"lower\":0.000000,"
                + "\"upper\":0.100000,\"count\":1,\"correct\":0,\"mean_score\":0.000000,\"precision\":0.000000},")
                .contains("{\"lower\":0.500000,\"upper\":0.600000,\"count\":0,\"correct\":0,\"mean_score\":null,\"precision\":null}");
    }

    @Test
    void aPerfectlyCalibratedCaseHasZeroEceAndNoEntitiesHaveNone() {
        Reliability.Builder b = new Reliability.Builder(4);
        for (int i = 0; i < 4; i++) {
            b.add(0.5, i < 2); // bin [0.5, 0.75): precision 0.5 = mean score
        }
        assertThat(b.build().expectedCalibrationError()).isZero();
        Reliability none = new Reliability.Builder(10).build();
        assertThat(none.entities()).isZero();
        assertThat(none.expectedCalibrationError()).isNaN();
        assertThat(none.toJson()).startsWith("{\"entities\":0,\"correct\":0,\"ece\":null,");
        assertThatThrownBy(() -> new Reliability.Builder(10).add(1.5, true)).hasMessageContaining("in [0, 1], got 1.5");
        assertThatThrownBy(() -> new Reliability.Builder(0)).hasMessageContaining("at least 1 bin");
    }

    @Test
    void theEvaluatorCountsExactMatchesOfScoredEntities() {
        KlueMetrics ev = new KlueMetrics(TagSet.klue());
        List<Entity> gold = List.of(new Entity("PS", 0, 3, "이순신"), new Entity("LC", 5, 7, "한산"));
        ev.addEntities(gold, List.of(
                new Entity("PS", 0, 3, "이순신", 0.92),   // right
                new Entity("LC", 5, 8, "한산도", 0.61),   // wrong end
                new Entity("OG", 5, 7, "한산", 0.15),     // wrong type
                new Entity("DT", 9, 10, "년")));           // no score: not counted
        Reliability r = ev.report().reliability();
        assertThat(r.entities()).isEqualTo(3);
        assertThat(r.correct()).isEqualTo(1);
        assertThat(r.bins().get(9).correct()).isEqualTo(1);
        assertThat(r.bins().get(6).count()).isEqualTo(1);
        assertThat(r.bins().get(6).correct()).isZero();
        assertThat(r.bins().get(1).count()).isEqualTo(1);
        assertThat(ev.report().toJson()).contains(",\"reliability\":{\"entities\":3,\"correct\":1,");
    }

    @Test
    void thePlotIsAPng(@TempDir Path dir) throws Exception {
        Reliability r = new Reliability.Builder(10).add(0.95, true).add(0.55, false).add(0.45, true).build();
        Path png = dir.resolve("sub/reliability.png");
        ReliabilityPlot.write(r, png);
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).isGreaterThan(1000);
        assertThat(bytes).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        Path empty = dir.resolve("empty.png");
        ReliabilityPlot.write(new Reliability.Builder(10).build(), empty);
        assertThat(empty).exists();
    }
}
