package io.github.bert4j.bert.pretraining.shards;

import java.nio.file.Path;

/**
 * A token shard file that is truncated, corrupt or of another format. The message names the file,
 * the byte offset where the problem was found and what was expected there.
 */
public final class ShardFormatException extends RuntimeException {
    private final transient Path file;
    private final long offset;

    public ShardFormatException(Path file, long offset, String problem) {
        super(file + ": at byte offset " + offset + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
