package io.github.bert4j.ner.data;

import java.nio.file.Path;

/**
 * Malformed NER data: names the file, the 1-based line number and the offending line.
 */
public final class NerDataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;
    private final String content;

    public NerDataException(Path file, long line, String content, String problem) {
        super(format(file, line, content, problem));
        this.file = file;
        this.line = line;
        this.content = content;
    }

    public NerDataException(String message, Throwable cause) {
        super(message, cause);
        this.file = null;
        this.line = -1;
        this.content = null;
    }

    /** The file, or null when reading from a stream without a name. */
    public Path file() {
        return file;
    }

    /** 1-based line number, or -1. */
    public long line() {
        return line;
    }

    /** The offending line (without its line terminator), or null. */
    public String content() {
        return content;
    }

    private static String format(Path file, long line, String content, String problem) {
        String where = (file == null ? "<input>" : file.toString()) + ":" + line;
        if (content == null) return where + ": " + problem;
        String shown = content.length() > 200 ? content.substring(0, 200) + "..." : content;
        return where + ": " + problem + ": \"" + shown.replace("\t", "\\t") + "\"";
    }
}
