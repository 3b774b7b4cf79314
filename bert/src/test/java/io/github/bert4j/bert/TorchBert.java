package io.github.bert4j.bert;

import io.github.bert4j.bert.eager.kernels.EmbeddingLookup;
import io.github.bert4j.bert.pretraining.data.PretrainingBatch;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An independent BERT-for-pretraining written with DJL's PyTorch engine (float32), following
 * HuggingFace's {@code modeling_bert.py} line by line: the oracle of the parity tests. Lookups are
 * PyTorch index selections, the MLM positions a gather, the loss {@code F.cross_entropy} as
 * {@code -log_softmax[label]} averaged over real predictions. Autograd via {@link GradientCollector}.
 */
public final class TorchBert implements AutoCloseable {
    public final NDManager manager;
    final BertConfig config;
    final Map<String, NDArray> p = new LinkedHashMap<>();
    /** Dropout probability in {@link #run} with backward (training); 0 for the parity tests. */
    float dropout;

    /** Outputs of one forward (and optionally backward) pass, as ND4J float arrays. */
    record Result(INDArray sequence, INDArray pooled, INDArray mlmLogits, INDArray nspLogits, double mlmLoss,
            double nspLoss, double loss, Map<String, INDArray> gradients) {}

    public TorchBert(BertConfig config, Map<String, INDArray> params) {
        this.manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch");
        this.config = config;
        params.forEach((k, v) -> {
            NDArray a = manager.create(v.castTo(DataType.FLOAT).dup('c').data().asFloat(), new Shape(v.shape()));
            a.setRequiresGradient(true);
            p.put(k, a);
        });
    }

    public static INDArray toNd4j(NDArray a) {
        long[] shape = a.getShape().getShape();
        return Nd4j.create(a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(), shape, 'c');
    }

    private NDArray linear(String prefix, NDArray x) {
        return x.matMul(p.get(prefix + ".weight").transpose()).add(p.get(prefix + ".bias"));
    }

    private NDArray layerNorm(String prefix, NDArray x) {
        NDArray mean = x.mean(new int[] {-1}, true);
        NDArray c = x.sub(mean);
        NDArray var = c.square().mean(new int[] {-1}, true);
        return c.div(var.add(config.layerNormEps()).sqrt()).mul(p.get(prefix + ".weight")).add(p.get(prefix + ".bias"));
    }

    private static NDArray gelu(NDArray x) {
        return x.mul(0.5f).mul(x.div((float) Math.sqrt(2.0)).erf().add(1f));
    }

    private NDArray drop(NDArray x, boolean training) {
        if (!training || dropout == 0f) {
            return x;
        }
        return x.getNDArrayInternal().dropout(x, dropout, true).singletonOrThrow();
    }

    /** Encoder forward only (no autograd), {@code [B,T,H]}: for the inference benchmark. */
    public NDArray encode(NDManager sub, PretrainingBatch batch) {
        return encoder(sub, batch, false);
    }

    private NDArray encoder(NDManager sub, PretrainingBatch batch, boolean training) {
        return encoder(sub, EncoderInputs.of(batch.inputIds(), batch.tokenTypeIds(), batch.attentionMask()), training);
    }

    private NDArray encoder(NDManager sub, EncoderInputs in, boolean training) {
        // results of ops on a parameter attach to the parameter's manager: attach the parameters to
        // this step's manager until it closes, or every step's intermediates would leak
        p.values().forEach(a -> a.tempAttach(sub));
        int b = in.batchSize();
        int t = in.length();
        int h = config.hiddenSize();
        int heads = config.numAttentionHeads();
        int d = config.headSize();
        NDArray ids = sub.create(in.inputIds()).toType(ai.djl.ndarray.types.DataType.INT64, false);
        NDArray types = sub.create(in.tokenTypeIds()).toType(ai.djl.ndarray.types.DataType.INT64, false);
        NDArray word = p.get("bert.embeddings.word_embeddings.weight");
        NDArray x = word.get(ids).reshape(b, t, h)
                .add(p.get("bert.embeddings.position_embeddings.weight").get("0:" + t).reshape(1, t, h))
                .add(p.get("bert.embeddings.token_type_embeddings.weight").get(types).reshape(b, t, h));
        x = drop(layerNorm("bert.embeddings.LayerNorm", x), training);
        float[] maskF = in.attentionMask() == null ? filled(b * t)
                : in.attentionMask().castTo(DataType.FLOAT).dup('c').data().asFloat();
        NDArray ext = sub.create(maskF, new Shape(b, 1, 1, t)).neg().add(1f).mul(-10000f);
        for (int l = 0; l < config.numHiddenLayers(); l++) {
            String pre = "bert.encoder.layer." + l;
            NDArray q = linear(pre + ".attention.self.query", x).reshape(b, t, heads, d).transpose(0, 2, 1, 3);
            NDArray k = linear(pre + ".attention.self.key", x).reshape(b, t, heads, d).transpose(0, 2, 1, 3);
            NDArray v = linear(pre + ".attention.self.value", x).reshape(b, t, heads, d).transpose(0, 2, 1, 3);
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div((float) Math.sqrt(d)).add(ext);
            NDArray ctx = drop(scores.softmax(-1), training).matMul(v).transpose(0, 2, 1, 3).reshape(b, t, h);
            NDArray attn = layerNorm(pre + ".attention.output.LayerNorm",
                    drop(linear(pre + ".attention.output.dense", ctx), training).add(x));
            NDArray inter = gelu(linear(pre + ".intermediate.dense", attn));
            x = layerNorm(pre + ".output.LayerNorm", drop(linear(pre + ".output.dense", inter), training).add(attn));
        }
        return x;
    }

    private static float[] filled(int n) {
        float[] f = new float[n];
        java.util.Arrays.fill(f, 1f);
        return f;
    }

    /** Logits, loss and (with {@code backward}) every gradient of HuggingFace's {@code BertForSequenceClassification}. */
    record ClassifierResult(INDArray logits, double loss, Map<String, INDArray> gradients) {}

    /**
     * {@code BertForSequenceClassification} in PyTorch: {@code pooler → classifier}, {@code
     * F.cross_entropy} averaged over the sequences whose label is {@code >= 0} (HF's {@code
     * ignore_index}); no dropout.
     */
    ClassifierResult classify(EncoderInputs in, int[] labels, boolean backward) {
        try (NDManager sub = manager.newSubManager(); GradientCollector gc = backward ? manager.getEngine().newGradientCollector() : null) {
            NDArray x = encoder(sub, in, false);
            NDArray pooled = linear("bert.pooler.dense", x.get(":,0,:")).tanh();
            NDArray logits = linear("classifier", pooled);
            int classes = (int) logits.getShape().get(1);
            long labelled = java.util.Arrays.stream(labels).filter(l -> l >= 0).count();
            float[] w = new float[labels.length];
            int[] safe = new int[labels.length];
            for (int i = 0; i < labels.length; i++) {
                w[i] = labels[i] >= 0 ? 1f / labelled : 0f;
                safe[i] = Math.max(labels[i], 0);
            }
            NDArray y = sub.create(safe).toType(ai.djl.ndarray.types.DataType.INT64, false);
            NDArray loss = logits.logSoftmax(-1).mul(y.oneHot(classes)).sum(new int[] {-1}).neg().mul(sub.create(w)).sum();
            Map<String, INDArray> grads = new LinkedHashMap<>();
            if (backward) {
                gc.backward(loss);
                p.forEach((k, a) -> grads.put(k, toNd4j(a.getGradient())));
            }
            return new ClassifierResult(toNd4j(logits), loss.getFloat(), grads);
        }
    }

    Result run(PretrainingBatch batch, boolean backward) {
        return run(batch, backward, true);
    }

    /**
     * Forward (and backward) pass; with {@code export} false (benchmarks) nothing is copied back
     * to ND4J and the result holds only the losses.
     */
    Result run(PretrainingBatch batch, boolean backward, boolean export) {
        try (NDManager sub = manager.newSubManager(); GradientCollector gc = backward ? manager.getEngine().newGradientCollector() : null) {
            int b = batch.batchSize();
            int t = batch.seqLength();
            int h = config.hiddenSize();
            NDArray word = p.get("bert.embeddings.word_embeddings.weight");
            NDArray x = encoder(sub, batch, backward);
            NDArray sequence = x;
            NDArray pooled = linear("bert.pooler.dense", sequence.get(":,0,:")).tanh();
            // MLM at gathered positions
            int np = batch.maxPredictions();
            int[] pos = EmbeddingLookup.flatInts(batch.mlmPositions());
            long[] flat = new long[pos.length];
            for (int i = 0; i < pos.length; i++) {
                flat[i] = (long) (i / np) * t + pos[i];
            }
            NDArray selected = sequence.reshape(b * t, h).get(sub.create(flat));
            NDArray tr = layerNorm("cls.predictions.transform.LayerNorm",
                    gelu(linear("cls.predictions.transform.dense", selected)));
            NDArray mlmLogits = tr.matMul(word.transpose()).add(p.get("cls.predictions.bias"));
            NDArray labels = sub.create(EmbeddingLookup.flatInts(batch.mlmLabels())).toType(ai.djl.ndarray.types.DataType.INT64, false);
            float[] w = batch.mlmWeights().castTo(DataType.FLOAT).dup('c').data().asFloat();
            NDArray weights = sub.create(w);
            NDArray mlmCe = mlmLogits.logSoftmax(-1).mul(labels.oneHot(config.vocabSize())).sum(new int[] {-1}).neg();
            NDArray mlmLoss = mlmCe.mul(weights).sum().div(weights.sum());
            NDArray nspLogits = linear("cls.seq_relationship", pooled);
            // NSP over the sequences with a label; MLM-only ones (label -1) have an all-zero one-hot
            int[] nspInts = EmbeddingLookup.flatInts(batch.nspLabels());
            float[] nspW = new float[nspInts.length];
            long labelled = java.util.Arrays.stream(nspInts).filter(l -> l >= 0).count();
            for (int i = 0; i < nspInts.length; i++) {
                nspW[i] = nspInts[i] >= 0 ? 1f / Math.max(labelled, 1) : 0f;
                nspInts[i] = Math.max(nspInts[i], 0);
            }
            NDArray nspLabels = sub.create(nspInts).toType(ai.djl.ndarray.types.DataType.INT64, false);
            NDArray nspLoss = nspLogits.logSoftmax(-1).mul(nspLabels.oneHot(2)).sum(new int[] {-1}).neg()
                    .mul(sub.create(nspW)).sum();
            NDArray loss = mlmLoss.add(nspLoss);
            Map<String, INDArray> grads = new LinkedHashMap<>();
            if (backward) {
                gc.backward(loss);
                if (!export) {
                    return new Result(null, null, null, null, mlmLoss.getFloat(), nspLoss.getFloat(), loss.getFloat(), grads);
                }
                p.forEach((k, a) -> grads.put(k, toNd4j(a.getGradient())));
            }
            return new Result(toNd4j(sequence), toNd4j(pooled), toNd4j(mlmLogits), toNd4j(nspLogits),
                    mlmLoss.getFloat(), nspLoss.getFloat(), loss.getFloat(), grads);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
