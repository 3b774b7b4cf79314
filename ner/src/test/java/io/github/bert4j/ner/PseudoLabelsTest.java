package io.github.bert4j.ner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.ner.align.Entity;
import io.github.bert4j.ner.data.KlueNerReader;
import io.github.bert4j.ner.data.KlueNerWriter;
import io.github.bert4j.ner.data.NerSentence;
import io.github.bert4j.ner.data.TagSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PseudoLabelsTest {

    @TempDir
    Path tmp;

    static TaggedSentence tagged(String text, List<String> charTags, double... scores) {
        List<Entity> entities = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            entities.add(new Entity("PS", i, i + 1, text.substring(i, i + 1), scores[i]));
        }
        return new TaggedSentence(text, null, new String[0], charTags, entities);
    }

    @Test
    void keepsSentencesWhoseEveryEntityIsConfidentAndDropsThoseWithoutEntities() {
        List<String> o3 = List.of("B-PS", "B-PS", "O");
        List<TaggedSentence> t = List.of(
                tagged("가나다", o3, 0.95, 0.92),
                tagged("라마바", o3, 0.95, 0.50),
                tagged("사아자", List.of("O", "O", "O")),
                tagged("차카타", o3, 0.90, 0.999));
        PseudoLabels.Selection s = PseudoLabels.select(List.of("a", "b", "c", "d"), t, 0.9);
        assertThat(s.kept()).extracting(NerSentence::id).containsExactly("a", "d");
        assertThat(s.kept().get(0).charTags()).isEqualTo(o3);
        assertThat(s.seen()).isEqualTo(4);
        assertThat(s.withoutEntities()).isEqualTo(1);
        assertThat(s.entitiesKept()).isEqualTo(4);
        assertThat(PseudoLabels.select(List.of("a", "b", "c", "d"), t, 0.0).kept()).hasSize(3);

        assertThatThrownBy(() -> PseudoLabels.select(List.of("a"), t, 0.9)).hasMessageContaining("1 ids for 4 taggings");
        assertThatThrownBy(() -> PseudoLabels.select(List.of("a", "b", "c", "d"), t, 1.5)).hasMessageContaining("[0, 1]");
        TaggedSentence unscored = new TaggedSentence("가", null, new String[0], List.of("B-PS"), List.of(new Entity("PS", 0, 1, "가")));
        assertThatThrownBy(() -> PseudoLabels.select(List.of("x"), List.of(unscored), 0.5))
                .hasMessageContaining("sentence x has no score");
    }

    @Test
    void aModelsConfidentTaggingsRoundTripThroughTheKlueFormat() throws Exception {
        var tokenizer = TinyNer.tokenizer();
        TagSet tags = TagSet.klue();
        BertCrfTagger tagger = BertCrfTagger.create(BertEncoder.create(BertConfig.of(tokenizer.vocab().size(), 32, 1, 2, 37, 64), 3),
                tags, true, 0.1, 4);
        Random r = new Random(7);
        for (INDArray p : tagger.headParameters().values()) { // a decisive random head tags plenty of spans
            p.assign(Nd4j.randn(DataType.FLOAT, p.shape()).muli(2 + r.nextInt(2)));
        }
        List<String> texts = TinyNer.klue().subList(0, 40).stream().map(NerSentence::text).toList();
        List<String> ids = IntStream.range(0, texts.size()).mapToObj(i -> "s" + i).toList();
        try (NerModel model = new NerModel(tagger, new NerInputs(tokenizer, tags, 32, 15))) {
            List<TaggedSentence> tagged = new NerPredictor(model).tag(texts);
            PseudoLabels.Selection s = PseudoLabels.select(ids, tagged, 0.5);
            assertThat(s.kept()).isNotEmpty().hasSizeLessThan(texts.size() - s.withoutEntities() + 1);
            for (NerSentence k : s.kept()) {
                TaggedSentence t = tagged.get(Integer.parseInt(k.id().substring(1)));
                assertThat(t.entities()).isNotEmpty().allMatch(e -> e.score() >= 0.5);
            }
            Path file = tmp.resolve("pseudo.tsv");
            KlueNerWriter.write(file, List.of("## pseudo"), s.kept());
            List<NerSentence> back = KlueNerReader.readAll(file, tags);
            assertThat(back).extracting(NerSentence::text).isEqualTo(s.kept().stream().map(NerSentence::text).toList());
            assertThat(back).extracting(NerSentence::charTags).isEqualTo(s.kept().stream().map(NerSentence::charTags).toList());
        }
    }
}
