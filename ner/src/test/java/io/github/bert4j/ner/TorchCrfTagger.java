package io.github.bert4j.ner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.bert4j.bert.pretraining.data.PretrainingBatch;
import io.github.bert4j.bert.TorchBert;
import io.github.bert4j.ner.crf.CrfParameters;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The same BERT+CRF tagger in PyTorch (DJL): {@link TorchBert}'s encoder, a linear classifier and
 * a batched, masked Viterbi over the tagger's constrained transitions, written as tensor ops over
 * the whole batch (one {@code max}/{@code argmax} over {@code [B,K,K]} per position) with the
 * back-pointers walked once at the end. A test-scope oracle and the PyTorch side of {@code bench ner}.
 */
public final class TorchCrfTagger implements AutoCloseable {
    /** Stands for a forbidden move ({@code -inf} in our double-precision Viterbi). */
    static final float FORBIDDEN = -1e30f;

    private final TorchBert bert;
    private final NDArray weight; // [K,H]
    private final NDArray bias; // [K]
    private final NDArray start; // [K]
    private final NDArray end; // [K]
    private final NDArray transitions; // [K,K] from -> to
    private final int k;

    public TorchCrfTagger(BertCrfTagger tagger) {
        this.bert = new TorchBert(tagger.encoder().config(), tagger.encoder().parameters());
        NDManager m = bert.manager;
        this.weight = array(m, tagger.headParameters().get(BertCrfTagger.CLASSIFIER_WEIGHT));
        this.bias = array(m, tagger.headParameters().get(BertCrfTagger.CLASSIFIER_BIAS));
        CrfParameters p = CrfParameters.from(tagger.headParameters()).constrained(tagger.crf().constraints());
        this.k = p.numTags();
        float[] s = new float[k];
        float[] e = new float[k];
        float[] t = new float[k * k];
        for (int i = 0; i < k; i++) {
            s[i] = finite(p.start()[i]);
            e[i] = finite(p.end()[i]);
            for (int j = 0; j < k; j++) {
                t[i * k + j] = finite(p.transitions()[i][j]);
            }
        }
        this.start = m.create(s);
        this.end = m.create(e);
        this.transitions = m.create(t, new Shape(k, k));
    }

    private static float finite(double v) {
        return v == Double.NEGATIVE_INFINITY ? FORBIDDEN : (float) v;
    }

    private static NDArray array(NDManager m, INDArray a) {
        return m.create(a.castTo(DataType.FLOAT).dup('c').data().asFloat(), new Shape(a.shape()));
    }

    /** Emissions {@code [B,T,K]} of an inference pass, as an ND4J array (for parity tests). */
    public INDArray emissions(INDArray inputIds, INDArray attentionMask) {
        try (NDManager sub = bert.manager.newSubManager()) {
            return TorchBert.toNd4j(emissions(sub, inputIds, attentionMask));
        }
    }

    private NDArray emissions(NDManager sub, INDArray inputIds, INDArray attentionMask) {
        int b = (int) inputIds.size(0);
        int t = (int) inputIds.size(1);
        NDArray hidden = bert.encode(sub, batch(inputIds, attentionMask)); // [B,T,H]
        weight.tempAttach(sub);
        bias.tempAttach(sub);
        return hidden.reshape(b * t, -1).matMul(weight.transpose()).add(bias).reshape(b, t, k);
    }

    /** Best paths over each sequence's real positions (the attention mask's 1s, a prefix). */
    public int[][] decode(INDArray inputIds, INDArray attentionMask) {
        int b = (int) inputIds.size(0);
        int t = (int) inputIds.size(1);
        int[] lengths = new int[b];
        for (int i = 0; i < b; i++) {
            lengths[i] = attentionMask.getRow(i).castTo(DataType.INT).sumNumber().intValue();
        }
        try (NDManager sub = bert.manager.newSubManager()) {
            for (NDArray a : new NDArray[] {start, end, transitions}) {
                a.tempAttach(sub);
            }
            NDArray em = emissions(sub, inputIds, attentionMask); // [B,T,K]
            NDArray mask = sub.create(attentionMask.castTo(DataType.FLOAT).dup('c').data().asFloat(), new Shape(b, t, 1));
            NDArray score = start.reshape(1, k).add(em.get(":,0,:")); // [B,K]
            NDArray trans = transitions.reshape(1, k, k);
            NDArray[] back = new NDArray[t];
            for (int pos = 1; pos < t; pos++) {
                NDArray cand = score.reshape(b, k, 1).add(trans); // [B,from,to]
                NDArray best = cand.max(new int[] {1}); // [B,K]
                back[pos] = cand.argMax(1); // [B,K]
                NDArray next = best.add(em.get(":," + pos + ",:"));
                NDArray m = mask.get(":," + pos + ",:"); // [B,1]: keep the score past a sequence's end
                score = next.mul(m).add(score.mul(m.neg().add(1f)));
            }
            float[] last = score.add(end.reshape(1, k)).toFloatArray();
            long[][] pointers = new long[t][];
            for (int pos = 1; pos < t; pos++) {
                pointers[pos] = back[pos].toLongArray();
            }
            int[][] paths = new int[b][];
            for (int i = 0; i < b; i++) {
                int len = lengths[i];
                int[] path = new int[len];
                int arg = 0;
                for (int j = 1; j < k; j++) {
                    if (last[i * k + j] > last[i * k + arg]) {
                        arg = j;
                    }
                }
                path[len - 1] = arg;
                for (int pos = len - 1; pos > 0; pos--) {
                    path[pos - 1] = (int) pointers[pos][i * k + path[pos]];
                }
                paths[i] = path;
            }
            return paths;
        }
    }

    private static PretrainingBatch batch(INDArray inputIds, INDArray attentionMask) {
        int b = (int) inputIds.size(0);
        return new PretrainingBatch(inputIds, Nd4j.zeros(DataType.INT, inputIds.shape()), attentionMask,
                Nd4j.zeros(DataType.INT, b, 1), Nd4j.zeros(DataType.INT, b, 1), Nd4j.zeros(DataType.FLOAT, b, 1),
                Nd4j.zeros(DataType.INT, b));
    }

    @Override
    public void close() {
        bert.close();
    }
}
