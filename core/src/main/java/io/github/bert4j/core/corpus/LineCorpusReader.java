package io.github.bert4j.core.corpus;

import io.github.bert4j.core.io.LineReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.NoSuchElementException;

/**
 * Base of the line-oriented readers: owns a {@link LineReader} (UTF-8, strict, errors at the true
 * line and byte offset; {@code .gz} files are decompressed on the fly), counts lines, supports one line of push-back, and turns the
 * subclass's {@link #readDocument()} into an iterator with one document of look-ahead.
 */
abstract class LineCorpusReader implements CorpusReader {

    protected final Path file;
    /** File name used in document ids. */
    protected final String fileName;
    private final LineReader in;
    /** 1-based number of the line last returned by {@link #readLine()}. */
    protected long lineNo;
    private String pushedBack;
    private Document pending;
    private boolean exhausted;
    private boolean closed;

    LineCorpusReader(Path file) {
        this.file = file;
        this.fileName = file.getFileName().toString();
        try {
            this.in = LineReader.open(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open corpus file " + file, e);
        }
    }

    /** Reads the next document, or returns {@code null} at the end of the file. */
    protected abstract Document readDocument();

    /** The next line (without terminator), or {@code null} at the end of the file. */
    protected final String readLine() {
        if (pushedBack != null) {
            String l = pushedBack;
            pushedBack = null;
            lineNo++;
            return l;
        }
        try {
            String l = in.readLine();
            if (l == null) {
                return null;
            }
            lineNo++;
            return l;
        } catch (LineReader.MalformedLine e) {
            throw new CorpusException(file, e.line(), e.problem(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " after line " + lineNo, e);
        }
    }

    /** Makes {@code line} (the one just read) the next line returned again. */
    protected final void pushBack(String line) {
        pushedBack = line;
        lineNo--;
    }

    /** {@code <file name>:<line>}. */
    protected final String idAt(long line) {
        return fileName + ":" + line;
    }

    protected final CorpusException error(String problem) {
        return new CorpusException(file, lineNo, problem);
    }

    @Override
    public final boolean hasNext() {
        if (pending == null && !exhausted) {
            if (closed) {
                throw new IllegalStateException("reader of " + file + " is closed");
            }
            pending = readDocument();
            if (pending == null) {
                exhausted = true;
                close();
            }
        }
        return pending != null;
    }

    @Override
    public final Document next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more documents in " + file);
        }
        Document d = pending;
        pending = null;
        return d;
    }

    /** Lines read so far (for tests and progress reporting). */
    public final long linesRead() {
        return lineNo;
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
