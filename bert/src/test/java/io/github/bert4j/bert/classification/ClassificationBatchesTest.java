package io.github.bert4j.bert.classification;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.bert.BertForSequenceClassification;
import io.github.bert4j.core.testing.TestData;
import io.github.bert4j.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ClassificationInputs} and {@link ClassificationBatches}: truncation, padding, seeded order. */
class ClassificationBatchesTest {

    static Tokenizer tokenizer() {
        return Tokenizer.load(TestData.root().resolve("examples/models/petitions-klue-28ep/tokenizer.json"));
    }

    @Test
    void textsAreCutToMaxLenAndWrappedInClsAndSep() {
        Tokenizer tok = tokenizer();
        ClassificationInputs in = new ClassificationInputs(tok, 8);
        String longText = "학교는 인력센터, 취업센터가 아닙니다. 정말 간곡히 부탁드립니다.";
        int[] full = tok.encode(longText, false).ids();
        assertThat(full.length).isGreaterThan(6);
        int[] ids = in.ids(longText);
        assertThat(ids).hasSize(8);
        assertThat(ids[0]).isEqualTo(tok.vocab().clsId());
        assertThat(ids[7]).isEqualTo(tok.vocab().sepId());
        assertThat(Arrays.copyOfRange(ids, 1, 7)).isEqualTo(Arrays.copyOf(full, 6));
        int[] shortIds = in.ids("안녕");
        assertThat(shortIds.length).isLessThan(8);
        assertThat(in.ids(List.of(longText, "안녕"))).containsExactly(ids, shortIds);

        BertForSequenceClassification.Batch b = in.batch(List.of(ids, shortIds), new int[] {1, 0});
        assertThat(b.inputIds().shape()).containsExactly(2, 8);
        assertThat(b.tokenTypeIds()).isNull();
        assertThat(b.attentionMask().getRow(1).sumNumber().intValue()).isEqualTo(shortIds.length);
        assertThat(b.inputIds().getInt(1, 7)).isEqualTo(tok.vocab().padId());
        assertThat(b.realTokens()).isEqualTo(8 + shortIds.length);
        assertThat(b.labels()).containsExactly(1, 0);
    }

    @Test
    void everyEpochIsAPermutationFixedByEpochAndSeed() {
        List<int[]> seqs = new ArrayList<>();
        int[] labels = new int[23];
        for (int i = 0; i < 23; i++) {
            int[] s = new int[2 + i % 5];
            Arrays.fill(s, i + 5);
            seqs.add(s);
            labels[i] = i % 3;
        }
        ClassificationBatches batches = new ClassificationBatches(seqs, labels, 5, 0, true);
        assertThat(batches.batchesPerEpoch()).isEqualTo(5);
        assertThat(batches.order(1, 42)).isEqualTo(batches.order(1, 42));
        assertThat(batches.order(1, 42)).isNotEqualTo(batches.order(2, 42));
        assertThat(batches.order(1, 42)).isNotEqualTo(batches.order(1, 43));
        List<Integer> seen = new ArrayList<>();
        Iterator<BertForSequenceClassification.Batch> it = batches.epoch(1, 42);
        int count = 0;
        while (it.hasNext()) {
            BertForSequenceClassification.Batch b = it.next();
            count++;
            for (int r = 0; r < b.batchSize(); r++) {
                int id = b.inputIds().getInt(r, 0) - 5;
                seen.add(id);
                assertThat(b.labels()[r]).isEqualTo(labels[id]);
                assertThat(b.attentionMask().getRow(r).sumNumber().intValue()).isEqualTo(seqs.get(id).length);
            }
            assertThat(b.length()).isEqualTo(maxLen(b, seqs));
        }
        assertThat(count).isEqualTo(5);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 23).boxed().toList());
        assertThat(new ClassificationBatches(seqs, labels, 5, 0, false).order(3, 42))
                .isEqualTo(java.util.stream.IntStream.range(0, 23).toArray());
    }

    /** The longest sequence of the batch (padding is per batch). */
    private static int maxLen(BertForSequenceClassification.Batch b, List<int[]> seqs) {
        int max = 0;
        for (int r = 0; r < b.batchSize(); r++) max = Math.max(max, seqs.get(b.inputIds().getInt(r, 0) - 5).length);
        return max;
    }
}
