package io.github.bert4j.examples.api;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.EncoderPass;
import io.github.bert4j.tokenizer.Encoding;
import io.github.bert4j.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** README: run the encoder, or train a head of your own on it. */
public final class EncoderExample {
    private EncoderExample() {
    }

    // README:begin
    /** Encodes sentences with a saved model directory (config.json, model.safetensors, tokenizer.json). */
    public static BertEncoder.Outputs encode(Path modelDir, List<String> sentences) throws IOException {
        // Encodings padded to the longest sentence become the [B,T] int arrays that encode takes
        List<Encoding> encodings = Tokenizer.load(modelDir).withPadding(-1).encodeBatch(sentences);
        int[][] ids = new int[encodings.size()][];
        int[][] types = new int[encodings.size()][];
        int[][] mask = new int[encodings.size()][];
        for (int i = 0; i < encodings.size(); i++) {
            ids[i] = encodings.get(i).ids();
            types[i] = encodings.get(i).typeIds();
            mask[i] = encodings.get(i).attentionMask();
        }
        INDArray inputIds = Nd4j.createFromArray(ids);
        INDArray tokenTypeIds = Nd4j.createFromArray(types);
        INDArray attentionMask = Nd4j.createFromArray(mask);

        // or BertEncoder.create(BertConfig.seed(vocabSize), seed) for a new one
        try (BertEncoder enc = BertEncoder.load(modelDir)) {
            BertEncoder.Outputs out = enc.encode(inputIds, tokenTypeIds, attentionMask);  // [B,T,H] and [B,H]

            // a head of your own: forward (dropout on), your head's loss, backward (either engine)
            EncoderPass pass = enc.forward(inputIds, tokenTypeIds, attentionMask, BertEncoder.Mode.TRAIN);
            INDArray h = pass.hidden();                        // [B*T,H], row b*T + t
            INDArray pooled = pass.pooled();                   // [B,H], tanh(W·h[CLS] + b)
            INDArray dH = h.mul(2.0 / h.length());             // dLoss/dh of your head (here: mean of h² ...
            INDArray dPooled = pooled.mul(2.0 / pooled.length()); // ... plus mean of pooled²)
            Map<String, INDArray> grads = pass.backward(dH, dPooled); // encoder gradients by HuggingFace name
            // or in SameDiff: EncoderGraph g = enc.build(sameDiff, BertEncoder.Mode.TRAIN);
            //   g.sequenceOutput(), g.pooledOutput(), g.feed(...), g.parameterGradients(feed, grads)
            System.out.println(grads.size() + " parameter gradients");
            return out;                                        // its arrays stay valid after close
        }
    }
    // README:end
}
