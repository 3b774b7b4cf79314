package io.github.bert4j.bert.pretraining;

import io.github.bert4j.bert.pretraining.data.PretrainingInstancesTest;
import io.github.bert4j.bert.pretraining.data.ToyVocab;

import io.github.bert4j.bert.pretraining.data.MaskedInstance;
import io.github.bert4j.bert.pretraining.data.SpecialTokens;
import io.github.bert4j.bert.pretraining.data.TokenizedDocument;
import io.github.bert4j.bert.pretraining.shards.ShardInfo;
import io.github.bert4j.bert.pretraining.shards.ShardSet;
import io.github.bert4j.bert.pretraining.shards.ShardWriter;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.bert.pretraining.data.PretrainingBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainingDataTest {

    @TempDir
    static Path dir;
    static ShardSet corpus;
    static ShardSet extra;
    static final SpecialTokens SP = PretrainingInstancesTest.SP;

    @BeforeAll
    static void shards() throws Exception {
        corpus = write(dir.resolve("corpus"), PretrainingInstancesTest.docs(11, 1, 12, 30), 37);
        extra = write(dir.resolve("extra"), PretrainingInstancesTest.docs(12, 1, 1, 25), 60);
    }

    static ShardSet write(Path d, List<TokenizedDocument> docs, int perShard) throws Exception {
        List<ShardInfo> infos = new ArrayList<>();
        for (int i = 0; i * perShard < docs.size(); i++) {
            infos.add(ShardWriter.write(d.resolve("shard-" + i + ".bin"), SP.vocabSize(),
                    docs.subList(i * perShard, Math.min(docs.size(), (i + 1) * perShard))));
        }
        ShardSet set = new ShardSet(d, SP.vocabSize(), "test", "synthetic", infos);
        set.save();
        return ShardSet.load(d).orElseThrow();
    }

    static DataOptions options(boolean dynamic, boolean regenerate, int groups) {
        return new DataOptions(64, 0.1, 0.5, 0.15, 10, false, dynamic, regenerate, 16, groups, false);
    }

    static List<MaskedInstance> all(PretrainingData data, int epoch, long seed) {
        List<MaskedInstance> out = new ArrayList<>();
        Iterator<List<MaskedInstance>> it = data.maskedBatches(epoch, seed);
        long batches = 0;
        while (it.hasNext()) {
            List<MaskedInstance> b = it.next();
            assertThat(b.size()).isBetween(1, 16);
            out.addAll(b);
            batches++;
        }
        assertThat(batches).isEqualTo(data.batchesPerEpoch());
        assertThat((long) out.size()).isEqualTo(data.instancesPerEpoch());
        return out;
    }

    /** The original sequence (labels put back), which identifies an instance independent of its mask. */
    static List<Integer> original(MaskedInstance m) {
        int[] t = m.inputIds().clone();
        for (int k = 0; k < m.positions().length; k++) {
            t[m.positions()[k]] = m.labels()[k];
        }
        return java.util.Arrays.stream(t).boxed().toList();
    }

    @Test
    void sameSeedSameBatchesAndFixedEpochLength() {
        PretrainingData a = new PretrainingData(corpus, null, SP, options(true, true, 2), 42);
        PretrainingData b = new PretrainingData(corpus, null, SP, options(true, true, 2), 42);
        for (int epoch = 0; epoch < 3; epoch++) {
            List<MaskedInstance> x = all(a, epoch, 42);
            List<MaskedInstance> y = all(b, epoch, 42);
            for (int i = 0; i < x.size(); i++) {
                assertThat(x.get(i).inputIds()).isEqualTo(y.get(i).inputIds());
                assertThat(x.get(i).positions()).isEqualTo(y.get(i).positions());
                assertThat(x.get(i).nspLabel()).isEqualTo(y.get(i).nspLabel());
            }
        }
    }

    @Test
    void dynamicMaskingGivesFreshMasksEachEpochOverTheSameInstances() {
        PretrainingData data = new PretrainingData(corpus, null, SP, options(true, false, 2), 42);
        Map<List<Integer>, int[]> e0 = byOriginal(all(data, 0, 42));
        Map<List<Integer>, int[]> e1 = byOriginal(all(data, 1, 42));
        assertThat(e1.keySet()).isEqualTo(e0.keySet()); // same pairs
        long same = e0.keySet().stream().filter(k -> java.util.Arrays.equals(e0.get(k), e1.get(k))).count();
        assertThat(same).as("instances with identical masks in two epochs").isLessThan(e0.size() / 10);
    }

    @Test
    void staticMaskingKeepsMasksButReshuffles() {
        PretrainingData data = new PretrainingData(corpus, null, SP, options(false, false, 2), 42);
        List<MaskedInstance> l0 = all(data, 0, 42);
        List<MaskedInstance> l1 = all(data, 1, 42);
        Map<List<Integer>, int[]> e0 = byOriginal(l0);
        Map<List<Integer>, int[]> e1 = byOriginal(l1);
        assertThat(e1.keySet()).isEqualTo(e0.keySet());
        e0.forEach((k, v) -> assertThat(e1.get(k)).isEqualTo(v));
        assertThat(original(l0.get(0)).equals(original(l1.get(0))) && original(l0.get(1)).equals(original(l1.get(1))))
                .as("epoch order reshuffled").isFalse();
    }

    @Test
    void regeneratedInstancesDifferBetweenEpochsAndCoverAllDocuments() {
        PretrainingData data = new PretrainingData(corpus, null, SP, options(true, true, 1), 7);
        Set<List<Integer>> e0 = byOriginal(all(data, 0, 7)).keySet();
        Set<List<Integer>> e1 = byOriginal(all(data, 1, 7)).keySet();
        Set<List<Integer>> common = new HashSet<>(e0);
        common.retainAll(e1);
        assertThat(common.size()).isLessThan(e0.size() / 2);
        Set<Integer> docs = new HashSet<>();
        for (MaskedInstance m : all(data, 2, 7)) {
            docs.add(PretrainingInstancesTest.docOf(original(m).get(1)));
        }
        assertThat(docs).hasSize(PretrainingInstancesTest.DOCS);
    }

    @Test
    void nextSentenceLabelsAreBalancedAndMlmOnlyTextHasNone() {
        PretrainingData data = new PretrainingData(corpus, extra, SP, options(true, true, 8), 1);
        int isNext = 0, notNext = 0, none = 0;
        for (MaskedInstance m : all(data, 0, 1)) {
            switch (m.nspLabel()) {
                case 0 -> isNext++;
                case 1 -> notNext++;
                default -> {
                    none++;
                    assertThat(m.typeIds()).containsOnly(0);
                }
            }
        }
        assertThat(none).isPositive();
        assertThat((double) isNext / (isNext + notNext)).isBetween(0.4, 0.6);
    }

    @Test
    void batchesAreArraysPaddedToTheLongestSequence() {
        PretrainingData data = new PretrainingData(corpus, null, SP, options(true, true, 2), 3);
        Iterator<List<MaskedInstance>> raw = data.maskedBatches(0, 3);
        Iterator<PretrainingBatch> arrays = data.epoch(0, 3);
        for (int k = 0; k < 3; k++) {
            List<MaskedInstance> ms = raw.next();
            {
                PretrainingBatch b = arrays.next();
                int t = ms.stream().mapToInt(MaskedInstance::length).max().orElseThrow();
                int p = ms.stream().mapToInt(m -> m.positions().length).max().orElseThrow();
                assertThat(b.inputIds().shape()).containsExactly(ms.size(), t);
                assertThat(b.mlmPositions().shape()).containsExactly(ms.size(), p);
                for (int i = 0; i < ms.size(); i++) {
                    MaskedInstance m = ms.get(i);
                    for (int j = 0; j < t; j++) {
                        boolean real = j < m.length();
                        assertThat(b.inputIds().getInt(i, j)).isEqualTo(real ? m.inputIds()[j] : ToyVocab.PAD);
                        assertThat(b.tokenTypeIds().getInt(i, j)).isEqualTo(real ? m.typeIds()[j] : 0);
                        assertThat(b.attentionMask().getInt(i, j)).isEqualTo(real ? 1 : 0);
                    }
                    for (int j = 0; j < p; j++) {
                        boolean real = j < m.positions().length;
                        assertThat(b.mlmPositions().getInt(i, j)).isEqualTo(real ? m.positions()[j] : 0);
                        assertThat(b.mlmLabels().getInt(i, j)).isEqualTo(real ? m.labels()[j] : 0);
                        assertThat(b.mlmWeights().getDouble(i, j)).isEqualTo(real ? 1.0 : 0.0);
                    }
                    assertThat(b.nspLabels().getInt(i)).isEqualTo(m.nspLabel());
                }
            }
        }
    }

    static Map<List<Integer>, int[]> byOriginal(List<MaskedInstance> list) {
        Map<List<Integer>, int[]> m = new HashMap<>();
        for (MaskedInstance x : list) {
            m.put(original(x), x.positions());
        }
        return m;
    }
}
