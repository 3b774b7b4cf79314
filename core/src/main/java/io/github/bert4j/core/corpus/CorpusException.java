package io.github.bert4j.core.corpus;

import java.nio.file.Path;

/**
 * Malformed corpus input: names the file, the 1-based line and what was expected, e.g.
 * {@code data/p.jsonl, line 7: invalid JSON (Unexpected end-of-input ...)} or
 * {@code sents.tsv, line 3: expected at least 2 tab-separated columns, got 1}.
 */
public final class CorpusException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;

    public CorpusException(Path file, long line, String problem, Throwable cause) {
        super(file + (line > 0 ? ", line " + line : "") + ": " + problem, cause);
        this.file = file;
        this.line = line;
    }

    public CorpusException(Path file, long line, String problem) {
        this(file, line, problem, null);
    }

    /** The file that holds the problem. */
    public Path file() {
        return file;
    }

    /** The 1-based line of the problem, or 0 when it concerns the whole file. */
    public long line() {
        return line;
    }
}
