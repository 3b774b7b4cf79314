package io.github.bert4j.bert;

import io.github.bert4j.core.io.SafeTensors;
import io.github.bert4j.core.train.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reading and writing a model directory's weights ({@code model.safetensors}, HuggingFace
 * parameter names, PyTorch {@code Linear} layout {@code [out,in]} — the layout bert4j's graph uses,
 * so no transposition happens anywhere).
 *
 * <p>Names are normalised on reading so that HuggingFace checkpoints of {@code BertModel} (no
 * {@code bert.} prefix), old TF-converted ones ({@code LayerNorm.gamma/beta}) and {@code
 * BertForPreTraining} ones load alike; buffers such as {@code embeddings.position_ids} are dropped.
 */
public final class BertCheckpoint {
    /** Weights file name inside a model directory. */
    public static final String WEIGHTS = "model.safetensors";

    private BertCheckpoint() {}

    /** Writes {@code tensors} to {@code dir/model.safetensors} with HF's {@code format: pt} metadata. */
    public static void write(Path dir, Map<String, INDArray> tensors) throws IOException {
        Files.createDirectories(dir);
        SafeTensors.write(dir.resolve(WEIGHTS), tensors, Map.of("format", "pt"));
    }

    /**
     * Every tensor of {@code dir/model.safetensors} (or of {@code path} itself if it is a file),
     * under normalised names, cast to {@code dtype}.
     */
    public static Map<String, INDArray> read(Path path, DataType dtype) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve(WEIGHTS) : path;
        if (!Files.exists(file)) {
            throw new IOException("no " + WEIGHTS + " in " + path
                    + " (only safetensors checkpoints are supported; convert pytorch_model.bin first)");
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : SafeTensors.read(file).entrySet()) {
            String name = normalise(e.getKey());
            if (name == null) {
                continue;
            }
            INDArray a = e.getValue();
            Checkpoints.requireFinite(file, "tensor " + e.getKey(), a);
            out.put(name, a.dataType() == dtype ? a : a.castTo(dtype));
        }
        return out;
    }

    /** HF name variants to bert4j's canonical names, or null for buffers that are not parameters. */
    static String normalise(String name) {
        if (name.endsWith("position_ids") || name.endsWith("token_type_ids")) {
            return null;
        }
        String n = name;
        if (n.startsWith("embeddings.") || n.startsWith("encoder.") || n.startsWith("pooler.")) {
            n = HfNames.ENCODER + n;
        }
        if (n.contains("LayerNorm.gamma")) {
            n = n.replace("LayerNorm.gamma", "LayerNorm.weight");
        } else if (n.contains("LayerNorm.beta")) {
            n = n.replace("LayerNorm.beta", "LayerNorm.bias");
        }
        return n;
    }

    /** Copies {@code source} into {@code target}'s array named {@code name}, checking the shape. */
    static void assign(Map<String, INDArray> target, String name, INDArray source, Path from) {
        INDArray t = target.get(name);
        if (!Arrays.equals(t.shape(), source.shape())) {
            throw new IllegalArgumentException(name + " in " + from + " has shape " + Arrays.toString(source.shape())
                    + ", the config expects " + Arrays.toString(t.shape()));
        }
        t.assign(source);
    }
}
