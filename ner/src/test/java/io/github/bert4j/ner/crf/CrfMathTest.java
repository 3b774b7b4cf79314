package io.github.bert4j.ner.crf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.bert4j.ner.data.TagSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class CrfMathTest {

    static CrfParameters randomParams(SplittableRandom r, int k, double scale) {
        double[] s = new double[k];
        double[] e = new double[k];
        double[][] t = new double[k][k];
        for (int i = 0; i < k; i++) {
            s[i] = r.nextDouble(-scale, scale);
            e[i] = r.nextDouble(-scale, scale);
            for (int j = 0; j < k; j++) {
                t[i][j] = r.nextDouble(-scale, scale);
            }
        }
        return new CrfParameters(s, t, e);
    }

    static double[][] randomEmissions(SplittableRandom r, int t, int k, double scale) {
        double[][] e = new double[t][k];
        for (double[] row : e) {
            for (int j = 0; j < k; j++) {
                row[j] = r.nextDouble(-scale, scale);
            }
        }
        return e;
    }

    @Test
    void logPartitionAndViterbiMatchEnumeration() {
        SplittableRandom r = new SplittableRandom(7);
        for (int trial = 0; trial < 40; trial++) {
            int k = 2 + r.nextInt(3);
            int t = 1 + r.nextInt(5);
            CrfParameters p = randomParams(r, k, 2);
            double[][] e = randomEmissions(r, t, k, 3);
            for (int n = 1; n <= t; n++) {
                assertThat(CrfMath.logPartition(e, n, p)).isCloseTo(BruteForce.logPartition(e, n, p), within(1e-10));
                ViterbiResult v = CrfMath.viterbi(e, n, p);
                ViterbiResult b = BruteForce.argmax(e, n, p);
                assertThat(v.path()).containsExactly(b.path());
                assertThat(v.score()).isCloseTo(b.score(), within(1e-10));
                assertThat(CrfMath.score(e, v.path(), n, p)).isCloseTo(v.score(), within(1e-10));
            }
        }
    }

    @Test
    void constrainedViterbiNeverUsesForbiddenMovesAndMatchesConstrainedEnumeration() {
        TagSet tags = TagSet.ofTypes(List.of("A", "B")); // B-A I-A B-B I-B O
        TransitionConstraints c = TransitionConstraints.bio(tags);
        SplittableRandom r = new SplittableRandom(11);
        for (int trial = 0; trial < 30; trial++) {
            CrfParameters p = randomParams(r, 5, 1);
            // emissions that strongly prefer inside tags, so the unconstrained argmax is invalid
            double[][] e = randomEmissions(r, 4, 5, 1);
            for (double[] row : e) {
                row[tags.index("I-A")] += 5;
            }
            CrfParameters pc = p.constrained(c);
            ViterbiResult v = CrfMath.viterbi(e, 4, pc);
            assertThat(c.allows(v.path(), 4)).isTrue();
            ViterbiResult b = BruteForce.argmax(e, 4, pc);
            assertThat(v.path()).containsExactly(b.path());
            assertThat(v.path()[0]).isEqualTo(tags.index("B-A"));
            assertThat(CrfMath.logPartition(e, 4, pc)).isCloseTo(BruteForce.logPartition(e, 4, pc), within(1e-10));
        }
    }

    @Test
    void forwardBackwardGradientMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(9);
        int k = 4;
        int n = 5;
        CrfParameters p = randomParams(r, k, 1);
        double[][] e = randomEmissions(r, n + 2, k, 2);
        int[] y = {1, 3, 0, 0, 2, 1, 1};
        double[][] de = new double[n + 2][k];
        double[][] dt = new double[k][k];
        double[] ds = new double[k];
        double[] dn = new double[k];
        double nll = CrfMath.nllAndGradient(e, y, n, p, de, dt, ds, dn);
        assertThat(nll).isCloseTo(BruteForce.logPartition(e, n, p) - BruteForce.score(e, y, n, p), within(1e-10));
        double eps = 1e-6;
        java.util.function.DoubleSupplier f = () -> CrfMath.negativeLogLikelihood(e, y, n, p);
        for (int t = 0; t < n + 2; t++) {
            for (int j = 0; j < k; j++) {
                assertThat(de[t][j]).isCloseTo(numeric(e[t], j, eps, f), within(1e-7));
                assertThat(dt[t % k][j]).isCloseTo(numeric(p.transitions()[t % k], j, eps, f), within(1e-7));
            }
        }
        for (int j = 0; j < k; j++) {
            assertThat(ds[j]).isCloseTo(numeric(p.start(), j, eps, f), within(1e-7));
            assertThat(dn[j]).isCloseTo(numeric(p.end(), j, eps, f), within(1e-7));
        }
    }

    private static double numeric(double[] a, int i, double eps, java.util.function.DoubleSupplier f) {
        double orig = a[i];
        a[i] = orig + eps;
        double plus = f.getAsDouble();
        a[i] = orig - eps;
        double minus = f.getAsDouble();
        a[i] = orig;
        return (plus - minus) / (2 * eps);
    }

    @Test
    void batchedVersionsUseTheMaskLengths() {
        SplittableRandom r = new SplittableRandom(3);
        CrfParameters p = randomParams(r, 3, 1);
        double[][][] e = {randomEmissions(r, 4, 3, 2), randomEmissions(r, 4, 3, 2)};
        var mask = Nd4j.createFromArray(new float[][] {{1, 1, 1, 1}, {1, 1, 0, 0}});
        var tags = Nd4j.createFromArray(new int[][] {{0, 1, 2, 1}, {2, 2, 0, 0}});
        ViterbiResult[] v = CrfMath.viterbi(Nd4j.createFromArray(e), mask, p);
        assertThat(v[0].path()).hasSize(4).containsExactly(BruteForce.argmax(e[0], 4, p).path());
        assertThat(v[1].path()).hasSize(2).containsExactly(BruteForce.argmax(e[1], 2, p).path());
        double[] nll = CrfMath.negativeLogLikelihood(Nd4j.createFromArray(e), tags, mask, p);
        assertThat(nll[1]).isCloseTo(BruteForce.logPartition(e[1], 2, p)
                - BruteForce.score(e[1], new int[] {2, 2}, 2, p), within(1e-10));
    }

    @Test
    void rejectsNonContiguousOrEmptyMasks() {
        assertThatThrownBy(() -> CrfMath.lengths(Nd4j.createFromArray(new float[][] {{0, 1}})))
                .hasMessageContaining("first time step off");
        assertThatThrownBy(() -> CrfMath.lengths(Nd4j.createFromArray(new float[][] {{1, 0, 1}})))
                .hasMessageContaining("not a contiguous prefix");
    }

    @Test
    void extremeScoresStayFinite() {
        SplittableRandom r = new SplittableRandom(5);
        CrfParameters p = randomParams(r, 4, 1e4);
        double[][] e = randomEmissions(r, 512, 4, 1e4);
        double z = CrfMath.logPartition(e, 512, p);
        ViterbiResult v = CrfMath.viterbi(e, 512, p);
        assertThat(z).isFinite();
        assertThat(v.score()).isFinite().isLessThanOrEqualTo(z);
    }
}
