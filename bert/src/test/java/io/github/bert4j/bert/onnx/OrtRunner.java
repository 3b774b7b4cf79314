package io.github.bert4j.bert.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** ONNX Runtime (test scope only) running a model on int64 [B,T] inputs; float outputs as flat arrays with shapes. */
public final class OrtRunner implements AutoCloseable {
    /** A float output: data in row-major order and its shape. */
    public record Output(float[] data, long[] shape) {}

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    public OrtRunner(Path model) throws OrtException {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(2);
            session = env.createSession(model.toString(), o);
        }
    }

    public OrtSession session() {
        return session;
    }

    /** Runs with {@code input_ids}, {@code attention_mask}, {@code token_type_ids} (each [B][T]). */
    public Map<String, Output> run(int[][] ids, int[][] mask, int[][] types) throws OrtException {
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            in.put("input_ids", tensor(ids));
            in.put("attention_mask", tensor(mask));
            in.put("token_type_ids", tensor(types));
            try (OrtSession.Result r = session.run(in)) {
                Map<String, Output> out = new HashMap<>();
                for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    FloatBuffer fb = t.getFloatBuffer();
                    float[] data = new float[fb.remaining()];
                    fb.get(data);
                    out.put(e.getKey(), new Output(data, t.getInfo().getShape()));
                }
                return out;
            }
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor tensor(int[][] a) throws OrtException {
        int b = a.length;
        int t = a[0].length;
        long[] flat = new long[b * t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                flat[i * t + j] = a[i][j];
            }
        }
        return OnnxTensor.createTensor(env, LongBuffer.wrap(flat), new long[] {b, t});
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
