package io.github.bert4j.ner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.ner.data.NerSentence;
import io.github.bert4j.ner.data.TagSet;
import io.github.bert4j.ner.eval.KlueReport;
import io.github.bert4j.ner.eval.Prf;
import io.github.bert4j.ner.eval.Reliability;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The reliability summary of an evaluation agrees with the predictions and with the entity metrics. */
class NerScorerTest {

    @Test
    void everyPredictedEntityIsBinnedAndItsMatchesAgreeWithEntityF1() {
        var tokenizer = TinyNer.tokenizer();
        TagSet tags = TagSet.klue();
        BertCrfTagger tagger = BertCrfTagger.create(BertEncoder.create(BertConfig.of(tokenizer.vocab().size(), 32, 1, 2, 37, 64), 3),
                tags, true, 0.1, 4);
        Random r = new Random(7);
        for (INDArray p : tagger.headParameters().values()) { // a decisive random head tags plenty of spans
            p.assign(Nd4j.randn(DataType.FLOAT, p.shape()).muli(2 + r.nextInt(2)));
        }
        List<NerSentence> gold = TinyNer.klue().subList(0, 40);
        try (NerModel model = new NerModel(tagger, new NerInputs(tokenizer, tags, 32, 15))) {
            KlueReport report = NerScorer.score(model, gold, 16);
            Reliability rel = report.reliability();
            long predicted = new NerPredictor(model).tag(gold.stream().map(NerSentence::text).toList(), 16).stream()
                    .mapToLong(s -> s.entities().size()).sum();
            assertThat(predicted).as("predicted entities").isGreaterThan(50);
            assertThat(rel.entities()).isEqualTo(predicted);
            assertThat(rel.bins().stream().mapToLong(Reliability.Bin::count).sum()).isEqualTo(predicted);
            assertThat(rel.bins().stream().mapToLong(Reliability.Bin::correct).sum()).isEqualTo(rel.correct());
            // micro F1 = 2 tp / (predicted + gold): the exact matches counted here are the metric's true positives
            long goldEntities = report.perType().values().stream().mapToLong(Prf::support).sum();
            assertThat(goldEntities).isPositive();
            assertThat(report.entityMicroF1()).isCloseTo(2.0 * rel.correct() / (predicted + goldEntities), within(1e-12));
            assertThat(rel.expectedCalibrationError()).isBetween(0.0, 1.0);
            assertThat(new NerScorer(model, gold, 16).evaluate().get("entity_score_ece"))
                    .isEqualTo(rel.expectedCalibrationError());
        }
    }
}
