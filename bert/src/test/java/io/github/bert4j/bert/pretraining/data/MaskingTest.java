package io.github.bert4j.bert.pretraining.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MaskingTest {

    static final int V = 1000;

    /** {@code [CLS] a [SEP] b [SEP]} with random ordinary tokens. */
    static PretrainingInstance randomPair(SplittableRandom rng, int maxLen) {
        int n = 5 + rng.nextInt(maxLen - 4);
        int a = 1 + rng.nextInt(n - 4);
        int[] tokens = new int[n];
        int[] types = new int[n];
        tokens[0] = ToyVocab.CLS;
        for (int i = 1; i < n; i++) {
            tokens[i] = ToyVocab.FIRST + rng.nextInt(V - ToyVocab.FIRST);
            types[i] = i > a + 1 ? 1 : 0;
        }
        tokens[a + 1] = ToyVocab.SEP;
        tokens[n - 1] = ToyVocab.SEP;
        return new PretrainingInstance(tokens, types, 0, "a", "a");
    }

    @Test
    void statisticsOverMoreThan100kTokensAre15And80_10_10() {
        SpecialTokens sp = ToyVocab.of(V);
        Masking masking = new Masking(sp, 0.15, 20, false);
        SplittableRandom rng = new SplittableRandom(7);
        long candidates = 0, chosen = 0, expectedChosen = 0, masked = 0, replaced = 0, kept = 0;
        for (int k = 0; k < 2000; k++) {
            PretrainingInstance inst = randomPair(rng, 128);
            MaskedInstance m = masking.mask(inst, rng);
            int n = inst.length() - 3;
            candidates += n;
            expectedChosen += Math.min(20, Math.max(1, Math.round(n * 0.15)));
            chosen += m.positions().length;
            Set<Integer> seen = new HashSet<>();
            for (int j = 0; j < m.positions().length; j++) {
                int pos = m.positions()[j];
                assertThat(seen.add(pos)).as("position chosen twice").isTrue();
                assertThat(sp.isSpecial(inst.tokens()[pos])).as("special token masked").isFalse();
                assertThat(m.labels()[j]).isEqualTo(inst.tokens()[pos]);
                if (j > 0) {
                    assertThat(pos).isGreaterThan(m.positions()[j - 1]);
                }
                int now = m.inputIds()[pos];
                if (now == ToyVocab.MASK) {
                    masked++;
                } else if (now == inst.tokens()[pos]) {
                    kept++;
                } else {
                    assertThat(sp.isSpecial(now)).as("random replacement is special").isFalse();
                    replaced++;
                }
            }
            for (int i = 0; i < inst.length(); i++) {
                if (!seen.contains(i)) {
                    assertThat(m.inputIds()[i]).isEqualTo(inst.tokens()[i]);
                }
            }
            assertThat(m.typeIds()).isEqualTo(inst.typeIds());
        }
        assertThat(candidates).isGreaterThan(100_000);
        assertThat(chosen).isEqualTo(expectedChosen);
        assertThat((double) chosen / candidates).isCloseTo(0.15, within(0.003));
        // random replacement may hit the original token with probability 1/995
        assertThat((double) masked / chosen).isCloseTo(0.8, within(0.01));
        assertThat((double) replaced / chosen).isCloseTo(0.1, within(0.008));
        assertThat((double) kept / chosen).isCloseTo(0.1, within(0.008));
    }

    @Test
    void capAndMinimumOfOnePrediction() {
        SpecialTokens sp = ToyVocab.of(V);
        Masking masking = new Masking(sp, 0.15, 20, false);
        SplittableRandom rng = new SplittableRandom(1);
        int[] longSeq = new int[512];
        longSeq[0] = ToyVocab.CLS;
        for (int i = 1; i < 511; i++) {
            longSeq[i] = 100 + i;
        }
        longSeq[511] = ToyVocab.SEP;
        MaskedInstance m = masking.mask(new PretrainingInstance(longSeq, new int[512], -1, "a", null), rng);
        assertThat(m.positions()).hasSize(20);
        MaskedInstance one = masking.mask(new PretrainingInstance(new int[] {ToyVocab.CLS, 50, 51, ToyVocab.SEP},
                new int[4], -1, "a", null), rng);
        assertThat(one.positions()).hasSize(1);
        MaskedInstance none = masking.mask(new PretrainingInstance(new int[] {ToyVocab.CLS, ToyVocab.SEP},
                new int[2], -1, "a", null), rng);
        assertThat(none.positions()).isEmpty();
    }

    @Test
    void wholeWordMaskingMasksEveryPieceOfAWordOrNone() {
        // ids 500..999 are ## pieces
        int[] cont = new int[500];
        for (int i = 0; i < 500; i++) {
            cont[i] = 500 + i;
        }
        SpecialTokens sp = ToyVocab.of(V, cont);
        Masking masking = new Masking(sp, 0.15, 20, true);
        SplittableRandom rng = new SplittableRandom(3);
        long chosen = 0, candidates = 0, multiPieceWordsMasked = 0;
        for (int k = 0; k < 1000; k++) {
            // words of 1-4 pieces: a head (5..499) followed by ## pieces (500..999)
            List<Integer> toks = new ArrayList<>(List.of(ToyVocab.CLS));
            List<int[]> words = new ArrayList<>();
            int len = 20 + rng.nextInt(100);
            while (toks.size() < len) {
                int pieces = 1 + rng.nextInt(4);
                words.add(new int[] {toks.size(), pieces});
                toks.add(5 + rng.nextInt(495));
                for (int p = 1; p < pieces; p++) {
                    toks.add(500 + rng.nextInt(500));
                }
            }
            toks.add(ToyVocab.SEP);
            int[] tokens = toks.stream().mapToInt(Integer::intValue).toArray();
            MaskedInstance m = masking.mask(new PretrainingInstance(tokens, new int[tokens.length], -1, "d", null), rng);
            Set<Integer> pos = new HashSet<>();
            for (int p : m.positions()) {
                pos.add(p);
            }
            for (int[] w : words) {
                int in = 0;
                for (int p = w[0]; p < w[0] + w[1]; p++) {
                    in += pos.contains(p) ? 1 : 0;
                }
                assertThat(in).as("word at %d of %d pieces partly masked", w[0], w[1]).isIn(0, w[1]);
                if (in > 1) {
                    multiPieceWordsMasked++;
                }
            }
            int n = tokens.length - 2;
            assertThat(m.positions().length).isLessThanOrEqualTo((int) Math.min(20, Math.max(1, Math.round(n * 0.15))));
            chosen += m.positions().length;
            candidates += n;
        }
        assertThat(multiPieceWordsMasked).isGreaterThan(1000);
        assertThat((double) chosen / candidates).isCloseTo(0.15, within(0.01));
    }

    @Test
    void pieceAfterSepIsNotJoinedToThePreviousSegment() {
        SpecialTokens sp = ToyVocab.of(V, 600);
        Masking masking = new Masking(sp, 0.5, 20, true);
        // [CLS] 10 [SEP] ##600 [SEP]: the ## piece starts its own unit since it is not adjacent to 10
        int[] tokens = {ToyVocab.CLS, 10, ToyVocab.SEP, 600, ToyVocab.SEP};
        int singles = 0;
        for (int s = 0; s < 200; s++) {
            MaskedInstance m = masking.mask(new PretrainingInstance(tokens, new int[] {0, 0, 0, 1, 1}, 0, "a", "a"),
                    new SplittableRandom(s));
            assertThat(m.positions()).hasSize(1);
            singles++;
        }
        assertThat(singles).isEqualTo(200);
    }

    @Test
    void sameGeneratorSameMasks() {
        SpecialTokens sp = ToyVocab.of(V);
        Masking masking = new Masking(sp, 0.15, 20, false);
        PretrainingInstance inst = randomPair(new SplittableRandom(5), 128);
        MaskedInstance a = masking.mask(inst, new SplittableRandom(11));
        MaskedInstance b = masking.mask(inst, new SplittableRandom(11));
        MaskedInstance c = masking.mask(inst, new SplittableRandom(12));
        assertThat(a.inputIds()).isEqualTo(b.inputIds());
        assertThat(a.positions()).isEqualTo(b.positions());
        assertThat(c.positions()).isNotEqualTo(a.positions());
    }
}
