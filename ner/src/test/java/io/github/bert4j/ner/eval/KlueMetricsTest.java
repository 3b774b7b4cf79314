package io.github.bert4j.ner.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.bert4j.ner.data.TagSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class KlueMetricsTest {

    static List<String> tags(String s) {
        return List.of(s.split(" "));
    }

    @Test
    void handWorkedEntityAndCharacterScores() {
        KlueMetrics ev = new KlueMetrics(TagSet.klue());
        // PS exact; LC partial overlap; DT as I- without B- (no entity in strict mode); OG predicted as PS
        ev.addCharacterSequence(
                tags("B-PS I-PS O B-LC I-LC O B-DT B-OG I-OG"),
                tags("B-PS I-PS O B-LC O O I-DT B-PS I-PS"));
        KlueReport r = ev.report();
        assertThat(r.perType().get("PS").precision()).isCloseTo(0.5, within(1e-12));
        assertThat(r.perType().get("PS").recall()).isCloseTo(1.0, within(1e-12));
        assertThat(r.perType().get("PS").f1()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(r.perType().get("LC").f1()).isZero();
        assertThat(r.perType().get("OG").support()).isEqualTo(1);
        assertThat(r.entityMacroF1()).isCloseTo((2.0 / 3) / 4, within(1e-12));     // PS, LC, DT, OG
        assertThat(r.entityMicroF1()).isCloseTo(2.0 / 7, within(1e-12));           // tp 1, fp 2, fn 3
        // B-PS 2/3, I-PS 2/3, B-LC 1, I-LC 0, B-OG 0, I-OG 0, B-DT 0, I-DT 0, TI/QT absent -> 1 x 4, O 4/5
        double entitySum = 2.0 / 3 + 2.0 / 3 + 1 + 4;
        assertThat(r.charMacroF1()).isCloseTo(entitySum / 12, within(1e-12));
        assertThat(r.charMacroF1WithO()).isCloseTo((entitySum + 0.8) / 13, within(1e-12));
        assertThat(r.sentences()).isEqualTo(1);
    }

    @Test
    void whitespaceIsIgnoredLikeKlue() {
        KlueMetrics ev = new KlueMetrics(TagSet.klue());
        // gold tags the inner space I-PS, the prediction O: same entity once spaces are dropped
        ev.addCharacters("홍 길동", tags("B-PS I-PS I-PS I-PS"), tags("B-PS O I-PS I-PS"));
        KlueReport r = ev.report();
        assertThat(r.entityMacroF1()).isEqualTo(1.0);
        assertThat(r.charMacroF1WithO()).isEqualTo(1.0);
    }

    @Test
    void tokenScoresFollowSklearn() {
        KlueMetrics ev = new KlueMetrics(TagSet.klue());
        ev.addTokens(tags("O B-PS I-PS O"), tags("O B-PS O O"));
        KlueReport r = ev.report();
        assertThat(r.tokenMicroF1()).isCloseTo(0.75, within(1e-12));
        assertThat(r.tokenMacroF1()).isCloseTo((0.8 + 1 + 0) / 3, within(1e-12));
    }

    @Test
    void perfectPredictionScoresOneAndJsonHasTheAgreedKeys() {
        KlueMetrics ev = new KlueMetrics(TagSet.klue());
        List<String> g = tags("B-QT I-QT O B-TI");
        ev.addCharacterSequence(g, g);
        ev.addTokens(g, g);
        KlueReport r = ev.report();
        assertThat(r.entityMacroF1()).isEqualTo(1.0);
        assertThat(r.charMacroF1()).isEqualTo(1.0);
        String json = r.toJson();
        assertThat(json).startsWith("{\"entity_macro_f1\":1.000000,\"entity_micro_f1\":1.000000,\"char_macro_f1\":1.000000,"
                + "\"char_macro_f1_with_o\":1.000000,\"token_micro_f1\":1.000000,\"token_macro_f1\":1.000000,\"per_type\":{");
        assertThat(json).contains("\"QT\":{\"precision\":1.000000,\"recall\":1.000000,\"f1\":1.000000,\"support\":1}");
        assertThat(json).contains("},\"sentences\":1,\"reliability\":{\"entities\":0,\"correct\":0,\"ece\":null,").endsWith("]}}");
    }
}
