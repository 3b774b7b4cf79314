package io.github.bert4j.bert.pretraining.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Synthetic documents whose token ids encode (document, position in document): document d's k-th
 * token is {@code FIRST + d * STRIDE + k}. Any instance can then be traced back to its sources.
 */
public class PretrainingInstancesTest {

    static final int STRIDE = 400;
    public static final int DOCS = 200;
    public static final SpecialTokens SP = ToyVocab.of(ToyVocab.FIRST + DOCS * STRIDE);

    public static List<TokenizedDocument> docs(long seed, int minSentences, int maxSentences, int maxSentenceLen) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<TokenizedDocument> docs = new ArrayList<>();
        for (int d = 0; d < DOCS; d++) {
            int k = 0;
            List<int[]> sentences = new ArrayList<>();
            int n = minSentences + rng.nextInt(maxSentences - minSentences + 1);
            for (int s = 0; s < n && k < STRIDE - maxSentenceLen; s++) {
                int[] sent = new int[1 + rng.nextInt(maxSentenceLen)];
                for (int i = 0; i < sent.length; i++) {
                    sent[i] = ToyVocab.FIRST + d * STRIDE + k++;
                }
                sentences.add(sent);
            }
            docs.add(new TokenizedDocument("d" + d, sentences.toArray(int[][]::new)));
        }
        return docs;
    }

    public static int docOf(int token) {
        return (token - ToyVocab.FIRST) / STRIDE;
    }

    static int posOf(int token) {
        return (token - ToyVocab.FIRST) % STRIDE;
    }

    @Test
    void structureTypeIdsAndLengths() {
        PretrainingInstances b = new PretrainingInstances(SP, 64, 0.1, 0.5);
        List<PretrainingInstance> all = b.create(docs(1, 1, 12, 40), new SplittableRandom(1));
        assertThat(all).hasSizeGreaterThan(500);
        int shorter = 0;
        for (PretrainingInstance in : all) {
            int[] t = in.tokens();
            assertThat(t.length).isLessThanOrEqualTo(64);
            assertThat(t[0]).isEqualTo(ToyVocab.CLS);
            assertThat(t[t.length - 1]).isEqualTo(ToyVocab.SEP);
            int firstSep = -1;
            int seps = 0;
            for (int i = 0; i < t.length; i++) {
                if (t[i] == ToyVocab.SEP) {
                    seps++;
                    if (firstSep < 0) {
                        firstSep = i;
                    }
                }
            }
            assertThat(seps).isEqualTo(2);
            assertThat(firstSep).isGreaterThan(1).isLessThan(t.length - 2); // both segments non-empty
            for (int i = 0; i < t.length; i++) {
                assertThat(in.typeIds()[i]).as("type id at %d", i).isEqualTo(i <= firstSep ? 0 : 1);
            }
            if (t.length < 40) {
                shorter++;
            }
        }
        assertThat(shorter).as("short_seq_prob produces shorter sequences").isGreaterThan(0);
    }

    @Test
    void positivesNeverCrossADocumentAndContinueSegmentA() {
        PretrainingInstances b = new PretrainingInstances(SP, 48, 0.1, 0.5);
        List<TokenizedDocument> docs = docs(2, 2, 15, 30);
        int isNext = 0, notNext = 0;
        for (PretrainingInstance in : b.create(docs, new SplittableRandom(2))) {
            int[] t = in.tokens();
            int sep = indexOf(t, ToyVocab.SEP);
            int[] a = java.util.Arrays.copyOfRange(t, 1, sep);
            int[] bSeg = java.util.Arrays.copyOfRange(t, sep + 1, t.length - 1);
            int da = docOf(a[0]);
            assertThat(in.docA()).isEqualTo("d" + da);
            assertContiguous(a);
            assertContiguous(bSeg);
            for (int x : a) {
                assertThat(docOf(x)).isEqualTo(da);
            }
            int db = docOf(bSeg[0]);
            for (int x : bSeg) {
                assertThat(docOf(x)).isEqualTo(db);
            }
            assertThat(in.docB()).isEqualTo("d" + db);
            if (in.nspLabel() == PretrainingInstance.IS_NEXT) {
                isNext++;
                assertThat(db).as("IsNext pair crosses documents").isEqualTo(da);
                assertThat(posOf(bSeg[0])).as("B follows A").isGreaterThan(posOf(a[a.length - 1]));
            } else {
                assertThat(in.nspLabel()).isEqualTo(PretrainingInstance.NOT_NEXT);
                notNext++;
                assertThat(db).as("NotNext pair from the same document").isNotEqualTo(da);
            }
        }
        double frac = (double) isNext / (isNext + notNext);
        assertThat(isNext + notNext).isGreaterThan(500);
        // Google's scheme: a chunk left with one sentence (at a document end, often after a put-back)
        // is always NotNext, so IsNext falls a little below 1 - nsp_prob on short documents
        assertThat(frac).as("IsNext fraction").isBetween(0.38, 0.52);
    }

    @Test
    void everySentenceOfADocumentIsUsedWhenNothingIsTruncated() {
        // long max_len, no short targets: segment A of every instance starts at the sentence after
        // the previous instance's last A/B sentence of the same document (put-back included)
        PretrainingInstances b = new PretrainingInstances(SP, 512, 0.0, 0.5);
        List<TokenizedDocument> docs = docs(3, 2, 10, 20);
        List<PretrainingInstance> all = b.create(docs, new SplittableRandom(3));
        int[] covered = new int[DOCS];
        for (PretrainingInstance in : all) {
            int[] t = in.tokens();
            int sep = indexOf(t, ToyVocab.SEP);
            int d = docOf(t[1]);
            assertThat(posOf(t[1])).as("A starts where the previous chunk of d%d ended", d).isEqualTo(covered[d]);
            int end = in.nspLabel() == PretrainingInstance.IS_NEXT ? t.length - 2 : sep - 1;
            covered[d] = posOf(t[end]) + 1;
        }
        for (int d = 0; d < DOCS; d++) {
            assertThat(covered[d]).as("doc %d fully used", d).isEqualTo((int) docs.get(d).tokenCount());
        }
    }

    @Test
    void singleSentenceDocumentsBecomeNotNextPairsAsGoogleDoes() {
        PretrainingInstances b = new PretrainingInstances(SP, 64, 0.0, 0.5);
        List<TokenizedDocument> docs = docs(4, 1, 1, 30);
        List<PretrainingInstance> all = b.create(docs, new SplittableRandom(4));
        assertThat(all).hasSize(DOCS);
        assertThat(all).allSatisfy(in -> {
            assertThat(in.nspLabel()).isEqualTo(PretrainingInstance.NOT_NEXT);
            assertThat(in.docB()).isNotEqualTo(in.docA());
        });
    }

    @Test
    void aLoneDocumentCannotPairWithItself() {
        PretrainingInstances b = new PretrainingInstances(SP, 64, 0.0, 0.5);
        List<TokenizedDocument> one = docs(5, 1, 1, 30).subList(0, 1);
        List<PretrainingInstance> all = b.create(one, new SplittableRandom(5));
        assertThat(all).singleElement().satisfies(in -> assertThat(in.nspLabel()).isEqualTo(PretrainingInstance.NO_NSP));
    }

    @Test
    void truncationCutsTheLongerSegmentFromBothEnds() {
        SplittableRandom rng = new SplittableRandom(9);
        int frontCuts = 0, backCuts = 0;
        for (int k = 0; k < 200; k++) {
            PretrainingInstances.IntList a = new PretrainingInstances.IntList();
            PretrainingInstances.IntList b = new PretrainingInstances.IntList();
            a.addAll(range(0, 50));
            b.addAll(range(100, 110));
            PretrainingInstances.truncatePair(a, b, 30, rng);
            assertThat(a.size() + b.size()).isEqualTo(30);
            assertThat(b.toArray()).isEqualTo(range(100, 110)); // the shorter one untouched
            int[] kept = a.toArray();
            assertContiguous(kept);
            frontCuts += kept[0];
            backCuts += 49 - kept[kept.length - 1];
        }
        assertThat(frontCuts + backCuts).isEqualTo(200 * 30);
        assertThat((double) frontCuts / (frontCuts + backCuts)).isCloseTo(0.5, within(0.05));
        // equal lengths: B is cut first, then they alternate
        PretrainingInstances.IntList a = new PretrainingInstances.IntList();
        PretrainingInstances.IntList b = new PretrainingInstances.IntList();
        a.addAll(range(0, 10));
        b.addAll(range(0, 10));
        PretrainingInstances.truncatePair(a, b, 17, rng);
        assertThat(a.size()).isEqualTo(9);
        assertThat(b.size()).isEqualTo(8);
    }

    @Test
    void mlmOnlyPacksSentencesIntoSingleSegments() {
        PretrainingInstances b = new PretrainingInstances(SP, 64, 0.0, 0.5);
        List<TokenizedDocument> docs = docs(6, 1, 1, 30);
        List<PretrainingInstance> all = b.mlmOnly(docs, new SplittableRandom(6));
        List<Integer> stream = new ArrayList<>();
        for (PretrainingInstance in : all) {
            assertThat(in.nspLabel()).isEqualTo(PretrainingInstance.NO_NSP);
            assertThat(in.length()).isLessThanOrEqualTo(64);
            assertThat(in.typeIds()).containsOnly(0);
            assertThat(in.tokens()[0]).isEqualTo(ToyVocab.CLS);
            assertThat(in.tokens()[in.length() - 1]).isEqualTo(ToyVocab.SEP);
            for (int i = 1; i < in.length() - 1; i++) {
                stream.add(in.tokens()[i]);
            }
        }
        List<Integer> expected = new ArrayList<>();
        docs.forEach(d -> {
            for (int[] s : d.sentences()) {
                for (int x : s) {
                    expected.add(x);
                }
            }
        });
        assertThat(stream).isEqualTo(expected); // sentences <= 30 tokens always fit: nothing lost
        assertThat(all.size()).isLessThan(DOCS / 2);
    }

    @Test
    void deterministicUnderASeed() {
        PretrainingInstances b = new PretrainingInstances(SP, 64, 0.1, 0.5);
        List<TokenizedDocument> docs = docs(7, 1, 8, 30);
        List<PretrainingInstance> x = b.create(docs, new SplittableRandom(42));
        List<PretrainingInstance> y = b.create(docs, new SplittableRandom(42));
        List<PretrainingInstance> z = b.create(docs, new SplittableRandom(43));
        assertThat(x).hasSameSizeAs(y);
        for (int i = 0; i < x.size(); i++) {
            assertThat(x.get(i).tokens()).isEqualTo(y.get(i).tokens());
            assertThat(x.get(i).nspLabel()).isEqualTo(y.get(i).nspLabel());
        }
        boolean differs = x.size() != z.size();
        for (int i = 0; !differs && i < x.size(); i++) {
            differs = !java.util.Arrays.equals(x.get(i).tokens(), z.get(i).tokens());
        }
        assertThat(differs).isTrue();
    }

    static int[] range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).toArray();
    }

    static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    static void assertContiguous(int[] seg) {
        for (int i = 1; i < seg.length; i++) {
            assertThat(seg[i]).as("segment is a contiguous run").isEqualTo(seg[i - 1] + 1);
        }
    }
}
