package io.github.bert4j.core.io;

import java.nio.file.Path;

/**
 * A safetensors file that cannot be read or written as asked: truncated, corrupted, or not
 * safetensors at all. The message always names the file and what is wrong with it, e.g. {@code
 * model.safetensors: tensor 'bert.pooler.dense.weight' needs 2359296 bytes (F32 [768, 768]) but
 * data_offsets give 1024}.
 */
public class SafeTensorsException extends RuntimeException {
    private final Path file;

    public SafeTensorsException(Path file, String problem) {
        this(file, problem, null);
    }

    public SafeTensorsException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file that was being read or written. */
    public Path file() {
        return file;
    }
}
