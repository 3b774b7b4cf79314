package io.github.bert4j.ner;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.ner.crf.LinearChainCrf;
import io.github.bert4j.ner.data.TagSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScratchTest {
    @Test
    void scratch() {
        TagSet tags = TagSet.klue();
        for (int t : new int[] {24, 64, 128}) {
            BertEncoder encoder = BertEncoder.create(BertConfig.of(1700, 32, 1, 2, 48, 128), 3);
            BertCrfTagger tagger = BertCrfTagger.create(encoder, tags, true, 0.1, 7);
            List<NerExample> ex = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int[] ids = new int[t - i];
                int[] tg = new int[t - i];
                for (int j = 0; j < ids.length; j++) { ids[j] = 5 + (i * 7 + j) % 1000; tg[j] = 12; }
                ex.add(new NerExample(ids, tg));
            }
            NerBatch b = NerBatches.batch(ex, t, 0, 12);
            StringBuilder sb = new StringBuilder("ok T=" + t);
            for (int i = 0; i < 4; i++) {
                long a = System.nanoTime();
                tagger.trainStep(b);
                sb.append(" step" + i + " " + (System.nanoTime() - a) / 1000000);
            }
            long a = System.nanoTime();
            tagger.emissions(b.inputIds(), b.attentionMask());
            tagger.emissions(b.inputIds(), b.attentionMask());
            sb.append(" emissions " + (System.nanoTime() - a) / 2000000);
            System.err.println(sb);
        }
    }
}
