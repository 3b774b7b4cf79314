package io.github.bert4j.ner.crf;

import static io.github.bert4j.ner.crf.CrfMathTest.randomEmissions;
import static io.github.bert4j.ner.crf.CrfMathTest.randomParams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.bert4j.ner.align.Iob;
import io.github.bert4j.ner.data.TagSet;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Marginals and entity probabilities against enumeration of every tag path of tiny chains. */
class ForwardBackwardTest {

    private static final TagSet ONE_TYPE = TagSet.ofTypes(List.of("A"));        // 3 tags
    private static final TagSet TWO_TYPES = TagSet.ofTypes(List.of("A", "B"));  // 5 tags

    @Test
    void marginalsSumToOneAndMatchEnumeration() {
        SplittableRandom r = new SplittableRandom(21);
        for (TagSet tags : List.of(ONE_TYPE, TWO_TYPES)) {
            int k = tags.size();
            for (boolean constrained : new boolean[] {false, true}) {
                for (int trial = 0; trial < 6; trial++) {
                    CrfParameters p = randomParams(r, k, 1.5);
                    if (constrained) {
                        p = p.constrained(TransitionConstraints.bio(tags));
                    }
                    double[][] e = randomEmissions(r, 6, k, 2.5);
                    for (int n = 1; n <= 5; n++) {
                        ForwardBackward fb = ForwardBackward.of(e, n, p);
                        double[][] m = fb.marginals();
                        double[][] expected = BruteForce.marginals(e, n, p);
                        assertThat(m).hasNumberOfRows(n);
                        assertThat(fb.logPartition()).isCloseTo(BruteForce.logPartition(e, n, p), within(1e-10));
                        for (int t = 0; t < n; t++) {
                            assertThat(Arrays.stream(m[t]).sum()).as("sum at %d", t).isCloseTo(1.0, within(1e-12));
                            for (int j = 0; j < k; j++) {
                                assertThat(m[t][j]).as("P(y_%d = %s), n = %d", t, tags.label(j), n)
                                        .isCloseTo(expected[t][j], within(1e-12));
                            }
                        }
                        if (constrained) {
                            for (int j = 0; j < k; j++) {
                                if (tags.isInside(j)) {
                                    assertThat(m[0][j]).as("an I- tag never starts a constrained path").isZero();
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void entityProbabilitiesMatchEnumerationOfRepairedPaths() {
        SplittableRandom r = new SplittableRandom(22);
        int checked = 0;
        int nonZeroRepairTerm = 0;
        for (TagSet tags : List.of(ONE_TYPE, TWO_TYPES)) {
            int k = tags.size();
            for (boolean constrained : new boolean[] {false, true}) {
                for (int trial = 0; trial < 3; trial++) {
                    CrfParameters p = randomParams(r, k, 1.5);
                    if (constrained) {
                        p = p.constrained(TransitionConstraints.bio(tags));
                    }
                    int n = tags == ONE_TYPE ? 5 : 4;
                    double[][] e = randomEmissions(r, n, k, 2.5);
                    ForwardBackward fb = ForwardBackward.of(e, n, p);
                    // the whole chain, and the inner steps only (as a window's tokens between [CLS] and [SEP])
                    for (int[] range : new int[][] {{0, n}, {1, n - 1}}) {
                        int lo = range[0];
                        int hi = range[1];
                        for (String type : tags.types()) {
                            for (int from = lo; from < hi; from++) {
                                for (int to = from + 1; to <= hi; to++) {
                                    double got = fb.entityProbability(from, to, tags.begin(type), tags.inside(type), lo, hi);
                                    double want = BruteForce.entityProbability(e, n, p, tags, type, from, to, lo, hi);
                                    assertThat(got).as("%s [%d, %d) of [%d, %d), constrained %s", type, from, to, lo, hi,
                                            constrained).isCloseTo(want, within(1e-12)).isBetween(0.0, 1.0);
                                    double onlyBegin = Math.exp(fb.logProbability(from, spanTags(tags, type, from, to),
                                            null, to < hi ? allBut(k, tags.inside(type)) : null));
                                    if (got - onlyBegin > 1e-9) {
                                        nonZeroRepairTerm++;
                                        assertThat(!constrained || from == lo && lo > 0)
                                                .as("constrained paths need the repair only at a cut start").isTrue();
                                    }
                                    checked++;
                                }
                            }
                        }
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(282); // 2 x 3 x (5 steps: 21 spans + 4 steps: 2 types x 13 spans)
        assertThat(nonZeroRepairTerm).as("spans whose I- start the repair counts").isPositive();
    }

    @Test
    void segmentProbabilitiesMatchEnumeration() {
        SplittableRandom r = new SplittableRandom(23);
        int k = 4;
        int n = 5;
        CrfParameters p = randomParams(r, k, 1);
        double[][] e = randomEmissions(r, n, k, 2);
        ForwardBackward fb = ForwardBackward.of(e, n, p);
        boolean[] before = {true, false, true, false};
        boolean[] after = {false, true, true, false};
        int[] seg = {2, 1};
        double want = 0;
        double logZ = BruteForce.logPartition(e, n, p);
        int[] y = new int[n];
        for (int c = 0; c < Math.pow(k, n); c++) {
            for (int t = n - 1, code = c; t >= 0; t--, code /= k) {
                y[t] = code % k;
            }
            if (y[2] == seg[0] && y[3] == seg[1] && before[y[1]] && after[y[4]]) {
                want += Math.exp(BruteForce.score(e, y, n, p) - logZ);
            }
        }
        assertThat(Math.exp(fb.logProbability(2, seg, before, after))).isCloseTo(want, within(1e-12));
        // the path Viterbi finds has the probability exp(score - logZ)
        ViterbiResult v = CrfMath.viterbi(e, n, p);
        assertThat(fb.logProbability(0, v.path(), null, null)).isCloseTo(v.score() - logZ, within(1e-10));
        // an impossible neighbour set gives probability 0, not NaN
        assertThat(fb.logProbability(1, seg, new boolean[k], null)).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void paddedBatchRowsUseTheirMaskLengthOnly() {
        SplittableRandom r = new SplittableRandom(24);
        int k = ONE_TYPE.size();
        CrfParameters p = randomParams(r, k, 1).constrained(TransitionConstraints.bio(ONE_TYPE));
        double[][][] e = {randomEmissions(r, 5, k, 2), randomEmissions(r, 5, k, 2)};
        for (int t = 3; t < 5; t++) {
            Arrays.fill(e[1][t], 1e6); // padding: must never be read
        }
        var mask = Nd4j.createFromArray(new float[][] {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}});
        ForwardBackward[] fb = ForwardBackward.of(Nd4j.createFromArray(e), mask, p);
        assertThat(fb[0].length()).isEqualTo(5);
        assertThat(fb[1].length()).isEqualTo(3);
        double[][] m = fb[1].marginals();
        double[][] want = BruteForce.marginals(e[1], 3, p);
        for (int t = 0; t < 3; t++) {
            for (int j = 0; j < k; j++) {
                assertThat(m[t][j]).isCloseTo(want[t][j], within(1e-6)); // emissions went through float
            }
        }
        assertThat(fb[1].entityProbability(1, 3, ONE_TYPE.begin("A"), ONE_TYPE.inside("A")))
                .isCloseTo(BruteForce.entityProbability(e[1], 3, p, ONE_TYPE, "A", 1, 3, 0, 3), within(1e-6));
    }

    @Test
    void aConfidentChainGivesItsEntityProbabilityNearOneAndViterbiEntitiesArePositive() {
        TagSet tags = TWO_TYPES;
        int k = tags.size();
        CrfParameters p = randomParams(new SplittableRandom(25), k, 0.5).constrained(TransitionConstraints.bio(tags));
        String[] gold = {"O", "B-A", "I-A", "I-A", "O", "B-B"};
        double[][] e = new double[gold.length][k];
        for (int t = 0; t < gold.length; t++) {
            e[t][tags.index(gold[t])] = 20;
        }
        ForwardBackward fb = ForwardBackward.of(e, gold.length, p);
        assertThat(fb.entityProbability(1, 4, tags.begin("A"), tags.inside("A"))).isCloseTo(1.0, within(1e-6));
        assertThat(fb.entityProbability(5, 6, tags.begin("B"), tags.inside("B"))).isCloseTo(1.0, within(1e-6));
        assertThat(fb.entityProbability(1, 3, tags.begin("A"), tags.inside("A"))).as("a wrong end").isLessThan(1e-6);

        SplittableRandom r = new SplittableRandom(26);
        for (int trial = 0; trial < 50; trial++) {
            CrfParameters q = randomParams(r, k, 1).constrained(TransitionConstraints.bio(tags));
            double[][] x = randomEmissions(r, 30, k, 3);
            ForwardBackward f = ForwardBackward.of(x, 30, q);
            String[] labels = Arrays.stream(CrfMath.viterbi(x, 30, q).path()).mapToObj(tags::label).toArray(String[]::new);
            for (Iob.Span s : Iob.spans(Arrays.asList(labels))) {
                double score = f.entityProbability(s.start(), s.end(), tags.begin(s.type()), tags.inside(s.type()));
                assertThat(score).as("%s", s).isGreaterThan(0.0).isLessThanOrEqualTo(1.0);
            }
        }
    }

    @Test
    void aTemperatureDividesEveryPotentialAndLeavesTheMostLikelyPathAlone() {
        SplittableRandom r = new SplittableRandom(31);
        int k = TWO_TYPES.size();
        CrfParameters p = randomParams(r, k, 1).constrained(TransitionConstraints.bio(TWO_TYPES));
        double[][] e = randomEmissions(r, 7, k, 3);
        double t = 2.5;
        double[][] scaled = new double[e.length][k];
        for (int i = 0; i < e.length; i++) {
            for (int j = 0; j < k; j++) {
                scaled[i][j] = e[i][j] / t;
            }
        }
        ForwardBackward hot = ForwardBackward.of(e, 7, p, t);
        ForwardBackward byHand = ForwardBackward.of(scaled, 7, p.scaled(1 / t));
        assertThat(hot.logPartition()).isCloseTo(byHand.logPartition(), within(1e-12));
        int a = TWO_TYPES.begin("A");
        int ia = TWO_TYPES.inside("A");
        assertThat(hot.entityProbability(1, 3, a, ia)).isCloseTo(byHand.entityProbability(1, 3, a, ia), within(1e-12));
        // T = 1 is the plain forward-backward, bit for bit
        ForwardBackward one = ForwardBackward.of(e, 7, p, 1.0);
        assertThat(one.marginals()).isDeepEqualTo(ForwardBackward.of(e, 7, p).marginals());
        // a higher temperature flattens the marginals (more entropy), the Viterbi path does not move
        assertThat(entropy(hot.marginals())).isGreaterThan(entropy(one.marginals()));
        assertThat(CrfMath.viterbi(scaled, 7, p.scaled(1 / t)).path()).isEqualTo(CrfMath.viterbi(e, 7, p).path());
        assertThatThrownBy(() -> ForwardBackward.of(e, 7, p, 0)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> ForwardBackward.of(e, 7, p, Double.NaN)).hasMessageContaining("temperature");
    }

    /**
     * Data drawn from a known CRF, scored by a model three times as confident (every potential x3):
     * the temperature fitted on the scores of its Viterbi entities against the drawn truth comes
     * back near 3, where the scores are the true span probabilities.
     */
    @Test
    void temperatureScalingRecoversTheOverconfidenceOfAScaledCrf() {
        SplittableRandom r = new SplittableRandom(2026);
        TagSet tags = ONE_TYPE;
        int k = tags.size();
        int n = 8;
        CrfParameters truth = randomParams(r, k, 1).constrained(TransitionConstraints.bio(tags));
        CrfParameters model = truth.scaled(3);
        int begin = tags.begin("A");
        int inside = tags.inside("A");
        java.util.List<double[][]> inputs = new java.util.ArrayList<>();
        java.util.List<int[]> spans = new java.util.ArrayList<>(); // {input, from, to}
        java.util.List<Boolean> right = new java.util.ArrayList<>();
        for (int sample = 0; sample < 3000; sample++) {
            double[][] x = randomEmissions(r, n, k, 1.5);
            int[] drawn = draw(ForwardBackward.of(x, n, truth), k, n, r);
            double[][] x3 = new double[n][k];
            for (int t = 0; t < n; t++) {
                for (int j = 0; j < k; j++) {
                    x3[t][j] = 3 * x[t][j];
                }
            }
            String[] predicted = Arrays.stream(CrfMath.viterbi(x3, n, model).path()).mapToObj(tags::label).toArray(String[]::new);
            String[] actual = Arrays.stream(drawn).mapToObj(tags::label).toArray(String[]::new);
            java.util.Set<Iob.Span> gold = new java.util.HashSet<>(Iob.spans(Arrays.asList(actual)));
            inputs.add(x3);
            for (Iob.Span s : Iob.spans(Arrays.asList(predicted))) {
                spans.add(new int[] {inputs.size() - 1, s.start(), s.end()});
                right.add(gold.contains(s));
            }
        }
        boolean[] correct = new boolean[right.size()];
        for (int i = 0; i < correct.length; i++) {
            correct[i] = right.get(i);
        }
        assertThat(correct.length).isGreaterThan(2000);
        java.util.function.DoubleUnaryOperator loss = temperature -> {
            double[] scores = new double[spans.size()];
            ForwardBackward[] fb = new ForwardBackward[inputs.size()];
            for (int i = 0; i < scores.length; i++) {
                int[] s = spans.get(i);
                if (fb[s[0]] == null) fb[s[0]] = ForwardBackward.of(inputs.get(s[0]), n, model, temperature);
                scores[i] = fb[s[0]].entityProbability(s[1], s[2], begin, inside);
            }
            return io.github.bert4j.ner.eval.TemperatureScaling.logLoss(scores, correct);
        };
        double fitted = io.github.bert4j.ner.eval.TemperatureScaling.fit(loss);
        assertThat(fitted).isBetween(2.6, 3.4);
        assertThat(loss.applyAsDouble(fitted)).isLessThan(loss.applyAsDouble(1.0) - 0.05);
    }

    /** One tag path drawn from the CRF's distribution, step by step from its prefix probabilities. */
    private static int[] draw(ForwardBackward fb, int k, int n, SplittableRandom r) {
        int[] path = new int[0];
        double prefix = 0;
        for (int t = 0; t < n; t++) {
            double u = r.nextDouble();
            double acc = 0;
            int chosen = -1;
            double chosenLp = 0;
            for (int j = 0; j < k && chosen < 0; j++) {
                int[] next = Arrays.copyOf(path, t + 1);
                next[t] = j;
                double lp = fb.logProbability(0, next, null, null);
                acc += Math.exp(lp - prefix);
                if (u < acc || j == k - 1) {
                    chosen = j;
                    chosenLp = lp;
                }
            }
            path = Arrays.copyOf(path, t + 1);
            path[t] = chosen;
            prefix = chosenLp;
        }
        return path;
    }

    private static double entropy(double[][] marginals) {
        double h = 0;
        for (double[] row : marginals) {
            for (double q : row) {
                if (q > 0) h -= q * Math.log(q);
            }
        }
        return h;
    }

    @Test
    void rejectsBadRangesAndTags() {
        double[][] e = new double[4][3];
        CrfParameters p = randomParams(new SplittableRandom(1), 3, 1);
        ForwardBackward fb = ForwardBackward.of(e, 4, p);
        assertThatThrownBy(() -> fb.entityProbability(2, 2, 0, 1)).hasMessageContaining("from 2, to 2");
        assertThatThrownBy(() -> fb.entityProbability(1, 3, 0, 1, 2, 4)).hasMessageContaining("lo 2");
        assertThatThrownBy(() -> fb.entityProbability(0, 1, 1, 1)).hasMessageContaining("two tags");
        assertThatThrownBy(() -> fb.logProbability(3, new int[] {0, 0}, null, null)).hasMessageContaining("[3, 5)");
        assertThatThrownBy(() -> ForwardBackward.of(e, 5, p)).hasMessageContaining("length 5 outside [1, 4]");
        CrfParameters none = new CrfParameters(new double[] {Double.NEGATIVE_INFINITY}, new double[1][1], new double[1]);
        assertThatThrownBy(() -> ForwardBackward.of(new double[2][1], 2, none)).hasMessageContaining("forbid every path");
    }

    private static int[] spanTags(TagSet tags, String type, int from, int to) {
        int[] t = new int[to - from];
        Arrays.fill(t, tags.inside(type));
        t[0] = tags.begin(type);
        return t;
    }

    private static boolean[] allBut(int k, int tag) {
        boolean[] b = new boolean[k];
        Arrays.fill(b, true);
        b[tag] = false;
        return b;
    }
}
