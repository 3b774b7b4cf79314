package io.github.bert4j.ner.crf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.bert4j.ner.data.TagSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import io.github.bert4j.ner.crf.LinearChainCrf.ForwardAlgorithm;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LinearChainCrfTest {

    /**
     * A CRF graph fed by a placeholder {@code emissions} plus a zero bias variable: SameDiff
     * differentiates only ops downstream of a trainable variable, so a placeholder that feeds the CRF
     * directly would get an incomplete gradient (in the tagger the emissions come from the
     * classifier, as here).
     */
    record Graph(SameDiff sd, LinearChainCrf crf, Map<String, INDArray> params, String loss) {
        Map<String, INDArray> feed(INDArray em, INDArray tags, INDArray mask) {
            return Map.of("emissions", em, "tags", tags, "mask", mask);
        }

        INDArray forward(INDArray em, INDArray tags, INDArray mask) {
            return sd.output(feed(em, tags, mask), loss).get(loss);
        }
    }

    static Graph build(int k, int t, DataType dt, Reduction reduction, TransitionConstraints c, long seed) {
        return build(k, t, dt, reduction, c, seed, LinearChainCrf.ForwardAlgorithm.SEQUENTIAL);
    }

    static Graph build(int k, int t, DataType dt, Reduction reduction, TransitionConstraints c, long seed,
            LinearChainCrf.ForwardAlgorithm algorithm) {
        SameDiff sd = SameDiff.create();
        LinearChainCrf crf = new LinearChainCrf(k, c, algorithm);
        Map<String, INDArray> params = crf.initParameters(dt, seed);
        // larger than the pytorch-crf init so that transitions matter in the comparisons
        params.values().forEach(a -> a.muli(20));
        crf.declareVariables(sd, params);
        SDVariable em = sd.placeHolder("emissions", dt, -1, t, k).add(sd.var("bias", Nd4j.zeros(dt, k)));
        SDVariable tags = sd.placeHolder("tags", DataType.INT32, -1, t);
        SDVariable mask = sd.placeHolder("mask", dt, -1, t);
        crf.negativeLogLikelihood("loss", sd, em, tags, mask, t, reduction);
        sd.setLossVariables("loss");
        return new Graph(sd, crf, params, "loss");
    }

    static INDArray randomEmissions(SplittableRandom r, int b, int t, int k, double scale, DataType dt) {
        double[] v = new double[b * t * k];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble(-scale, scale);
        }
        return Nd4j.createFromArray(v).reshape(b, t, k).castTo(dt);
    }

    static INDArray mask(int[] lengths, int t, DataType dt) {
        double[][] m = new double[lengths.length][t];
        for (int b = 0; b < lengths.length; b++) {
            for (int s = 0; s < lengths[b]; s++) {
                m[b][s] = 1;
            }
        }
        return Nd4j.createFromArray(m).castTo(dt);
    }

    static INDArray randomTags(SplittableRandom r, int b, int t, int k) {
        int[][] y = new int[b][t];
        for (int[] row : y) {
            for (int s = 0; s < t; s++) {
                row[s] = r.nextInt(k);
            }
        }
        return Nd4j.createFromArray(y);
    }

    @ParameterizedTest
    @EnumSource(ForwardAlgorithm.class)
    void nllEqualsEnumerationOverAllPathsWithMasks(ForwardAlgorithm algorithm) {
        SplittableRandom r = new SplittableRandom(1);
        for (int k : new int[] {3, 4}) {
            for (int t : new int[] {1, 2, 4, 5}) {
                Graph g = build(k, t, DataType.DOUBLE, Reduction.NONE, null, 17 + k * 10 + t, algorithm);
                int[] lengths = {t, Math.max(1, t - 1), 1, Math.max(1, t / 2)};
                INDArray em = randomEmissions(r, 4, t, k, 2, DataType.DOUBLE);
                INDArray tags = randomTags(r, 4, t, k);
                double[] nll = g.forward(em, tags, mask(lengths, t, DataType.DOUBLE)).toDoubleVector();
                CrfParameters p = CrfParameters.from(g.params());
                double[][][] e = toArray(em);
                int[][] y = tags.toIntMatrix();
                for (int b = 0; b < 4; b++) {
                    double expected = BruteForce.logPartition(e[b], lengths[b], p)
                            - BruteForce.score(e[b], y[b], lengths[b], p);
                    assertThat(nll[b]).as("K=%d T=%d b=%d", k, t, b).isCloseTo(expected, within(1e-9));
                }
            }
        }
    }

    @Test
    void reductionsCombineTheSequences() {
        SplittableRandom r = new SplittableRandom(2);
        int k = 3;
        int t = 4;
        INDArray em = randomEmissions(r, 3, t, k, 1, DataType.DOUBLE);
        INDArray tags = randomTags(r, 3, t, k);
        INDArray mask = mask(new int[] {4, 2, 3}, t, DataType.DOUBLE);
        double[] none = build(k, t, DataType.DOUBLE, Reduction.NONE, null, 5).forward(em, tags, mask).toDoubleVector();
        double sum = none[0] + none[1] + none[2];
        assertThat(build(k, t, DataType.DOUBLE, Reduction.SUM, null, 5).forward(em, tags, mask).getDouble(0))
                .isCloseTo(sum, within(1e-10));
        assertThat(build(k, t, DataType.DOUBLE, Reduction.MEAN, null, 5).forward(em, tags, mask).getDouble(0))
                .isCloseTo(sum / 3, within(1e-10));
        assertThat(build(k, t, DataType.DOUBLE, Reduction.TOKEN_MEAN, null, 5).forward(em, tags, mask).getDouble(0))
                .isCloseTo(sum / 9, within(1e-10));
        // a batch of one sequence (the last micro-batch of an epoch can be that small)
        for (Reduction red : Reduction.values()) {
            INDArray one = build(k, t, DataType.DOUBLE, red, null, 5).forward(em.get(
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)), tags.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)),
                    mask.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)));
            assertThat(one.getDouble(0)).as(red.name()).isCloseTo(red == Reduction.TOKEN_MEAN ? none[1] / 2 : none[1], within(1e-10));
        }
    }

    @ParameterizedTest
    @EnumSource(ForwardAlgorithm.class)
    void gradientsMatchFiniteDifferencesInDouble(ForwardAlgorithm algorithm) {
        SplittableRandom r = new SplittableRandom(3);
        int k = 4;
        int t = 6;
        for (TransitionConstraints c : new TransitionConstraints[] {null, TransitionConstraints.bio(TagSet.ofTypes(List.of("X", "Y")))}) {
            int kk = c == null ? k : 5;
            Graph g = build(kk, t, DataType.DOUBLE, Reduction.SUM, c, 23, algorithm);
            INDArray em = randomEmissions(r, 3, t, kk, 1.5, DataType.DOUBLE);
            // gold tags that obey BIO for the constrained case: B-X I-X O B-Y I-Y
            INDArray tags = c == null ? randomTags(r, 3, t, kk)
                    : Nd4j.createFromArray(new int[][] {{0, 1, 4, 2, 3, 3}, {4, 2, 3, 3, 0, 0}, {0, 4, 4, 4, 4, 4}});
            INDArray mask = mask(new int[] {6, 3, 1}, t, DataType.DOUBLE);
            checkGradients(g, em, tags, mask);
            // a batch of one partially masked sequence (ND4J's slicing backward once broke on B = 1)
            org.nd4j.linalg.indexing.INDArrayIndex second = org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2);
            checkGradients(g, em.get(second).dup(), tags.get(second).dup(), mask.get(second).dup());
        }
    }

    private static void checkGradients(Graph g, INDArray em, INDArray tags, INDArray mask) {
        Map<String, INDArray> grads = g.sd().calculateGradients(g.feed(em, tags, mask),
                List.of(LinearChainCrf.TRANSITIONS, LinearChainCrf.START, LinearChainCrf.END, "emissions"));
        double eps = 1e-6;
        Map<String, INDArray> arrays = new HashMap<>(g.params());
        arrays.put("emissions", em);
        for (var entry : arrays.entrySet()) {
            INDArray a = entry.getValue();
            INDArray grad = grads.get(entry.getKey());
            assertThat(grad).as(entry.getKey()).isNotNull();
            for (long i = 0; i < a.length(); i++) {
                double orig = a.getDouble(i);
                a.putScalar(i, orig + eps);
                double plus = sum(g.crf().referenceNll(em, tags, mask, g.params()));
                a.putScalar(i, orig - eps);
                double minus = sum(g.crf().referenceNll(em, tags, mask, g.params()));
                a.putScalar(i, orig);
                double numeric = (plus - minus) / (2 * eps);
                assertThat(grad.getDouble(i)).as("%s[%d] (constraints %s, B=%d)", entry.getKey(), i,
                        g.crf().constraints() != null, em.size(0))
                        .isCloseTo(numeric, within(1e-6 + 1e-6 * Math.abs(numeric)));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ForwardAlgorithm.class)
    void constrainedTrainingMatchesPenalisedEnumerationAndDecodingRespectsConstraints(ForwardAlgorithm algorithm) {
        TagSet tagSet = TagSet.ofTypes(List.of("X", "Y")); // B-X I-X B-Y I-Y O
        TransitionConstraints c = TransitionConstraints.bio(tagSet);
        SplittableRandom r = new SplittableRandom(4);
        int t = 4;
        Graph g = build(5, t, DataType.DOUBLE, Reduction.NONE, c, 31, algorithm);
        INDArray em = randomEmissions(r, 2, t, 5, 1, DataType.DOUBLE);
        em.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.point(3)).addi(6); // I-Y everywhere is tempting
        INDArray tags = Nd4j.createFromArray(new int[][] {{2, 3, 3, 4}, {0, 1, 0, 0}});
        INDArray mask = mask(new int[] {4, 2}, t, DataType.DOUBLE);
        double[] nll = g.forward(em, tags, mask).toDoubleVector();
        CrfParameters pen = g.crf().penalised(CrfParameters.from(g.params()));
        double[][][] e = toArray(em);
        int[][] y = tags.toIntMatrix();
        int[] lengths = {4, 2};
        for (int b = 0; b < 2; b++) {
            assertThat(nll[b]).isCloseTo(BruteForce.logPartition(e[b], lengths[b], pen)
                    - BruteForce.score(e[b], y[b], lengths[b], pen), within(1e-8));
        }
        ViterbiResult[] best = g.crf().decode(em, mask, g.params());
        for (int b = 0; b < 2; b++) {
            assertThat(c.allows(best[b].path(), lengths[b])).isTrue();
            assertThat(best[b].path()[0]).isNotEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(ForwardAlgorithm.class)
    void longSequencesWithExtremeScoresStayFiniteInFloat(ForwardAlgorithm algorithm) {
        SplittableRandom r = new SplittableRandom(5);
        int k = 13;
        // the sequential graph is usable but slow at 512 (tens of seconds per gradient); it is checked at 128
        int t = algorithm == ForwardAlgorithm.TREE ? 512 : 128;
        long t0 = System.nanoTime();
        Graph g = build(k, t, DataType.FLOAT, Reduction.MEAN, TransitionConstraints.bio(TagSet.klue()), 41, algorithm);
        long built = System.nanoTime();
        INDArray em = randomEmissions(r, 2, t, k, 1e4, DataType.FLOAT);
        INDArray tags = Nd4j.zeros(DataType.INT32, 2, t).addi(12);
        int cut = t * 300 / 512;
        INDArray mask = mask(new int[] {t, cut}, t, DataType.FLOAT);
        Map<String, INDArray> grads = g.sd().calculateGradients(g.feed(em, tags, mask),
                List.of(LinearChainCrf.TRANSITIONS, LinearChainCrf.START, LinearChainCrf.END, "emissions"));
        double loss = g.forward(em, tags, mask).getDouble(0);
        long ran = System.nanoTime();
        System.Logger log = System.getLogger(LinearChainCrfTest.class.getName());
        log.log(System.Logger.Level.INFO, String.format(algorithm + " T=" + t + " K=13 B=2: build %d ms, gradients + forward %d ms",
                (built - t0) / 1_000_000, (ran - built) / 1_000_000));
        assertThat(loss).isFinite();
        double[] reference = g.crf().referenceNll(em, tags, mask, g.params());
        // float32 over 512 steps of magnitude 1e4: agree to relative 1e-5
        assertThat(loss).isCloseTo((reference[0] + reference[1]) / 2, within(1e-5 * Math.abs(reference[0])));
        for (var e : grads.entrySet()) {
            assertThat(e.getValue().isNaN().any()).as(e.getKey()).isFalse();
            assertThat(e.getValue().isInfinite().any()).as(e.getKey()).isFalse();
        }
        // padded steps get no gradient
        assertThat(grads.get("emissions").get(org.nd4j.linalg.indexing.NDArrayIndex.point(1),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(cut, t)).amaxNumber().doubleValue()).isZero();
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    static double[][][] toArray(INDArray em) {
        int b = (int) em.size(0);
        double[][][] out = new double[b][][];
        for (int i = 0; i < b; i++) {
            out[i] = em.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).toDoubleMatrix();
        }
        return out;
    }
}
