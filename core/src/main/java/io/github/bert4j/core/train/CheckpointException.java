package io.github.bert4j.core.train;

import java.nio.file.Path;

/**
 * A checkpoint that cannot be used: a malformed {@code trainer_state.json}, optimizer state that
 * does not match the model, a parameter missing from {@code model.safetensors} or of the wrong
 * shape. The message names the file and the problem. (A corrupted safetensors file itself gives a
 * {@link io.github.bert4j.core.io.SafeTensorsException}.)
 */
public class CheckpointException extends RuntimeException {
    private final Path file;

    public CheckpointException(Path file, String problem) {
        this(file, problem, null);
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
