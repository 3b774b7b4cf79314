package io.github.bert4j.bert;

import java.util.LinkedHashMap;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * MLM and NSP heads of {@code BertForPreTraining}. The MLM head sees only the masked positions:
 * a batched one-hot selection {@code S [B,P,T]} (placeholder {@value #MLM_SELECTION}, built from
 * {@code mlm_positions}) picks them, {@code S · sequence = [B,P,H]}, so that the vocabulary
 * projection costs {@code B·P·H·V}, not {@code B·T·H·V}. NSP: {@code pooled · Wᵀ + b}, {@code [B,2]}.
 */
final class BertPreTrainingHeads {
    static final String MLM_SELECTION = "mlm_selection";
    static final String NSP_PREFIX = "cls.seq_relationship";

    /** Logits of both heads: MLM {@code [B*P,V]} (row {@code b*P + p}), NSP {@code [B,2]}. */
    record Logits(SDVariable mlm, SDVariable nsp) {}

    private BertPreTrainingHeads() {}

    static Logits build(GraphContext g, BertEncoder.Graph encoder) {
        int h = g.config.hiddenSize();
        SDVariable selection = g.sd.placeHolder(MLM_SELECTION, g.dtype, -1, -1, -1); // [B,P,T]
        SDVariable selected = g.sd.mmul(selection, encoder.sequenceOutput()).reshape(-1, h); // [B*P,H]
        SDVariable mlm = BertLMPredictionHead.build(g, selected, encoder.wordEmbeddings());
        SDVariable nsp = g.dense(NSP_PREFIX, encoder.pooledOutput());
        return new Logits(mlm.rename("mlm_logits"), nsp.rename("nsp_logits"));
    }

    /** Names and shapes of the head parameters, in HuggingFace's order. */
    static LinkedHashMap<String, long[]> parameterShapes(BertConfig c) {
        long h = c.hiddenSize();
        String p = BertLMPredictionHead.PREFIX;
        LinkedHashMap<String, long[]> s = new LinkedHashMap<>();
        s.put(p + ".bias", new long[] {c.vocabSize()});
        s.put(p + ".transform.dense.weight", new long[] {h, h});
        s.put(p + ".transform.dense.bias", new long[] {h});
        s.put(p + ".transform.LayerNorm.weight", new long[] {h});
        s.put(p + ".transform.LayerNorm.bias", new long[] {h});
        s.put(NSP_PREFIX + ".weight", new long[] {2, h});
        s.put(NSP_PREFIX + ".bias", new long[] {2});
        return s;
    }
}
