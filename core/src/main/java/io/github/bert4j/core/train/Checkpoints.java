package io.github.bert4j.core.train;

import io.github.bert4j.core.io.AtomicFiles;
import io.github.bert4j.core.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Checkpoint directories: a model directory ({@link TrainableModel#save}: {@code config.json},
 * {@code model.safetensors}, ...) plus {@code training_state/} with {@code
 * optimizer.safetensors} and {@code trainer_state.json}. A checkpoint is written with {@link
 * AtomicFiles#writeDirectory} (staged, flushed, swapped in by renames), so {@code last/} and
 * {@code best/} are always complete.
 */
public final class Checkpoints {
    public static final String MODEL_FILE = "model.safetensors";
    public static final String STATE_DIR = "training_state";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    public static final String TRAINER_STATE_FILE = "trainer_state.json";

    private Checkpoints() {}

    /** Writes a complete checkpoint to {@code target}, replacing any previous one atomically. */
    static void save(Path target, TrainableModel<?> model, AdamW optimizer, TrainerState state) throws IOException {
        AtomicFiles.writeDirectory(target, staging -> {
            model.save(staging);
            Path stateDir = Files.createDirectories(staging.resolve(STATE_DIR));
            optimizer.save(stateDir.resolve(OPTIMIZER_FILE));
            state.write(stateDir.resolve(TRAINER_STATE_FILE));
        });
    }

    /** Whether {@code dir} holds a training state to resume from (after repairing a crashed swap). */
    static boolean hasTrainingState(Path dir) throws IOException {
        AtomicFiles.recoverDirectory(dir);
        return Files.isRegularFile(dir.resolve(STATE_DIR).resolve(TRAINER_STATE_FILE));
    }

    /**
     * Reads the parameters of {@code params} from a safetensors file and checks every name and
     * shape, without touching {@code params}. Tensors in the file that are not parameters are
     * ignored; values are cast to the parameter's data type.
     *
     * @throws CheckpointException if a parameter is missing or has another shape
     * @throws io.github.bert4j.core.io.SafeTensorsException if the file is truncated or corrupted
     */
    public static Map<String, INDArray> readParameters(Path file, Map<String, INDArray> params) throws IOException {
        Map<String, INDArray> tensors = SafeTensors.read(file);
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray t = tensors.get(e.getKey());
            if (t == null) throw new CheckpointException(file, "missing parameter " + e.getKey());
            if (!Arrays.equals(t.shape(), e.getValue().shape())) {
                throw new CheckpointException(file, "parameter " + e.getKey() + " has shape "
                        + Arrays.toString(t.shape()) + ", the model expects " + Arrays.toString(e.getValue().shape()));
            }
            requireFinite(file, "parameter " + e.getKey(), t);
            out.put(e.getKey(), t.dataType() == e.getValue().dataType() ? t : t.castTo(e.getValue().dataType()));
        }
        return out;
    }

    /**
     * Throws if {@code values} (read from {@code file}) holds a NaN or an infinity: a checkpoint of
     * a diverged run must not be trained on or served silently.
     *
     * @param what names the tensor in the message ({@code "parameter encoder.layer.0..."})
     * @throws CheckpointException naming the file, the tensor, how many values and the first index
     */
    public static void requireFinite(Path file, String what, INDArray values) {
        if (!values.dataType().isFPType() || values.length() == 0) return;
        if (!values.isNaN().any() && !values.isInfinite().any()) return;
        double[] d = values.dup().data().asDouble();
        long bad = 0;
        int first = -1;
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i])) {
                if (first < 0) first = i;
                bad++;
            }
        }
        throw new CheckpointException(file, what + " holds " + bad + " non-finite value(s) (first: " + d[first]
                + " at flat index " + first + " of " + d.length + "); the checkpoint is unusable");
    }

    /** Copies {@code values} into the live {@code params} arrays (same names and shapes). */
    public static void assign(Map<String, INDArray> params, Map<String, INDArray> values) {
        values.forEach((name, v) -> params.get(name).assign(v));
    }
}
