package io.github.bert4j.examples.api;

import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.bert.embed.TextEmbedder;
import io.github.bert4j.bert.onnx.OnnxExport;
import io.github.bert4j.bert.onnx.OnnxImport;
import io.github.bert4j.ner.NerOnnxExport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** README: models in and out of ONNX, and sentence embeddings. */
public final class OnnxExample {
    private OnnxExample() {
    }

    // README:begin
    /** Writes an encoder directory and an NER model directory as ONNX models. */
    public static void export(Path encoderDir, Path nerDir, Path out) throws IOException {
        try (BertEncoder enc = BertEncoder.load(encoderDir)) {
            OnnxExport.of(enc).write(out.resolve("encoder.onnx"));   // last_hidden_state, pooler_output
        }
        NerOnnxExport.write(nerDir, out.resolve("ner.onnx"));         // + logits and the CRF's scores
    }

    /** Brings an ONNX BERT (e.g. all-MiniLM-L6-v2 as HuggingFace exported it) in and embeds sentences. */
    public static List<float[]> importAndEmbed(Path onnx, Path tokenizerJson, Path modelDir, List<String> texts)
            throws IOException {
        OnnxImport.toModelDirectory(onnx, tokenizerJson, modelDir);   // config.json, model.safetensors, tokenizer
        try (TextEmbedder embedder = TextEmbedder.load(modelDir, TextEmbedder.Pooling.MEAN, /* normalize */ true)) {
            return embedder.embed(texts);                             // one unit vector per text
        }
    }
    // README:end
}
