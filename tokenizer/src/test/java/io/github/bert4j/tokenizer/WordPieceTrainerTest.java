package io.github.bert4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.tokenizer.training.MorphemeMode;
import io.github.bert4j.tokenizer.training.WordPieceTrainer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WordPieceTrainerTest {
    @Test
    void toyCorpusGivesTheHandComputedMerges() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("pun", 12L);
        counts.put("hug", 10L);
        counts.put("pug", 5L);
        counts.put("hugs", 5L);
        counts.put("bun", 4L);
        WordPieceTrainer t = WordPieceTrainer.builder().vocabSize(19).minFrequency(0)
                .specialTokens(List.of("[UNK]", "[CLS]", "[SEP]")).build();
        // pairs: ##u ##g 20, ##u ##n 16, h ##u 15 ... ; the tie at 5 goes to the smaller id pair (p, ##ug)
        assertThat(t.learn(counts).tokens()).containsExactly("[UNK]", "[CLS]", "[SEP]", "b", "g", "h", "n", "p", "s", "u",
                "##u", "##n", "##g", "##s", "##ug", "##un", "hug", "pun", "pug");
        // min_frequency stops merging early
        WordPieceTrainer strict = WordPieceTrainer.builder().vocabSize(100).minFrequency(16)
                .specialTokens(List.of("[UNK]", "[CLS]", "[SEP]")).build();
        assertThat(strict.learn(counts).tokens()).endsWith("##ug", "##un");
        // limit_alphabet drops the rarest characters (b: 4, s: 5)
        WordPieceTrainer limited = WordPieceTrainer.builder().vocabSize(10).limitAlphabet(5)
                .specialTokens(List.of("[UNK]", "[CLS]", "[SEP]")).build();
        assertThat(limited.learn(counts).tokens()).startsWith("[UNK]", "[CLS]", "[SEP]", "g", "h", "n", "p", "u");
    }

    @Test
    void continuationPiecesStayPrefixed() {
        Map<String, Long> counts = Map.of("대통령", 5L, "##습니다", 7L, "##은", 9L, "감사", 3L);
        List<String> v = WordPieceTrainer.builder().vocabSize(40).minFrequency(1)
                .specialTokens(List.of("[UNK]", "[CLS]", "[SEP]")).build().learn(counts).tokens();
        assertThat(v).contains("##은", "##습니다", "대통령", "감사").doesNotContain("습니다", "#", "##");
    }

    @Test
    void noriTrainingLearnsParticlePiecesAndIsDeterministic() {
        List<String> docs = TestCorpus.petitions(TestCorpus.petitionFiles().subList(1, 2)).subList(0, 150);
        WordPieceTrainer.Builder b = WordPieceTrainer.builder().vocabSize(3000).morphemes(MorphemeMode.NORI);
        Vocabulary v1 = b.threads(2).build().trainVocabulary(docs);
        Vocabulary v2 = b.threads(1).build().trainVocabulary(docs);
        assertThat(v2.tokens()).isEqualTo(v1.tokens());
        assertThat(v1.tokens().subList(0, 6)).containsExactly("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[EOD]");
        assertThat(v1.tokens()).contains("##은", "##을", "##는", "##이", "##습니다", "##에서");
        Vocabulary plain = WordPieceTrainer.builder().vocabSize(3000).build().trainVocabulary(docs);
        assertThat(plain.size()).isEqualTo(3000);
        assertThat(plain.tokens()).isNotEqualTo(v1.tokens());
        // the trained tokenizer encodes a particle as a continuation piece
        Tokenizer t = b.build().tokenizerFor(v1);
        assertThat(t.encode("국민은", false).tokens()).containsExactly("국민", "##은");
    }
}
