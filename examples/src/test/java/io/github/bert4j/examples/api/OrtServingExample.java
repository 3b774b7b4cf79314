package io.github.bert4j.examples.api;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.bert4j.tokenizer.Encoding;
import io.github.bert4j.tokenizer.Tokenizer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** README: serving an exported model with ONNX Runtime (test scope here: the library does not depend on it). */
final class OrtServingExample {
    private OrtServingExample() {
    }

    // README:begin
    /** The last hidden state [1][tokens][hidden] of one text, from an exported model and its tokenizer. */
    static float[][][] lastHiddenState(Path onnx, Path tokenizerJson, String text) throws OrtException {
        Encoding e = Tokenizer.load(tokenizerJson).encode(text);
        long[] shape = {1, e.length()};
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(onnx.toString(), options);
             OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(longs(e.ids())), shape);
             OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(longs(e.attentionMask())), shape);
             OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(longs(e.typeIds())), shape);
             OrtSession.Result r = session.run(Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
            return (float[][][]) r.get("last_hidden_state").orElseThrow().getValue();
        }
    }

    static long[] longs(int[] a) {
        return Arrays.stream(a).asLongStream().toArray();
    }
    // README:end
}
