package io.github.bert4j.ner.data;

import io.github.bert4j.core.io.LineReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Streams sentences from a KLUE NER file in its official format, unchanged:
 *
 * <pre>
 * ## 토큰, 레이블 구분자 : \t          (header comment lines)
 * ## klue-ner-v1_dev_00000-wikitree&lt;TAB&gt;&lt;경찰:OG&gt;은 ...
 * 경&lt;TAB&gt;B-OG
 * 찰&lt;TAB&gt;I-OG
 * 은&lt;TAB&gt;O
 *  &lt;TAB&gt;O                              (a space is a character too)
 * ...
 *                                      (blank line between sentences)
 * </pre>
 *
 * <p>Rules: in a run of consecutive {@code ##} lines the last one names the sentence that follows
 * ({@code ## <id>\t<annotated>}); those before it are comments, and the comments before the first
 * sentence are the file {@link #header()}. A character line is {@code <one code point>\t<tag>}
 * (split at the last tab); the tag must belong to the {@link TagSet}. Sentences end at a blank (or
 * whitespace-only) line or at the end of the file. A UTF-8 BOM, CRLF line ends and trailing blank
 * lines are tolerated. Anything else throws {@link NerDataException} with the file, line number and
 * line.
 *
 * <p>Not thread-safe; close it (or the stream from {@link #stream}).
 */
public final class KlueNerReader implements Iterator<NerSentence>, AutoCloseable {

    private final LineReader in;
    private final Path file;
    private final TagSet tags;
    private final List<String> header = new ArrayList<>();
    private long lineNo;
    private int count;
    private boolean headerDone;
    private NerSentence next;
    private boolean eof;

    private KlueNerReader(LineReader in, Path file, TagSet tags) {
        this.in = in;
        this.file = file;
        this.tags = tags;
    }

    /** Opens a file with KLUE's 13 labels. */
    public static KlueNerReader open(Path file) throws IOException {
        return open(file, TagSet.klue());
    }

    public static KlueNerReader open(Path file, TagSet tags) throws IOException {
        return new KlueNerReader(LineReader.open(file), file, tags);
    }

    /** Reads from any reader; {@code name} (may be null) appears in error messages. */
    public static KlueNerReader of(Reader reader, Path name, TagSet tags) {
        return new KlueNerReader(LineReader.of(reader), name, tags);
    }

    /** All sentences of a file (KLUE labels). */
    public static List<NerSentence> readAll(Path file) throws IOException {
        return readAll(file, TagSet.klue());
    }

    public static List<NerSentence> readAll(Path file, TagSet tags) throws IOException {
        try (KlueNerReader r = open(file, tags)) {
            List<NerSentence> out = new ArrayList<>();
            r.forEachRemaining(out::add);
            return out;
        }
    }

    /** A lazily read stream of sentences; closing it closes the file. */
    public static Stream<NerSentence> stream(Path file, TagSet tags) throws IOException {
        KlueNerReader r = open(file, tags);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(r, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(r::close);
    }

    /**
     * The comment lines before the first sentence, as read (without line terminators). Complete
     * once the first sentence has been read (reads ahead if needed).
     */
    public List<String> header() {
        if (!headerDone) {
            hasNext();
        }
        return Collections.unmodifiableList(header);
    }

    @Override
    public boolean hasNext() {
        if (next == null && !eof) {
            next = readSentence();
            if (next == null) {
                eof = true;
                headerDone = true;
            }
        }
        return next != null;
    }

    @Override
    public NerSentence next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        NerSentence s = next;
        next = null;
        return s;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readLine() {
        try {
            String line = in.readLine();
            if (line == null) {
                return null;
            }
            lineNo++;
            if (!line.isEmpty() && line.charAt(line.length() - 1) == '\r') {
                line = line.substring(0, line.length() - 1);
            }
            return line;
        } catch (LineReader.MalformedLine e) {
            throw new NerDataException(file, e.line(), null, e.problem());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + " after line " + lineNo, e);
        }
    }

    private NerSentence readSentence() {
        List<String> comments = new ArrayList<>();
        long commentLine = -1;
        StringBuilder text = new StringBuilder();
        List<String> charTags = new ArrayList<>();
        String idLine = null;
        if (pending != null) {
            comments.add(pending);
            commentLine = pendingLineNo;
            pending = null;
        }
        while (true) {
            String line = readLine();
            boolean blank = line == null || line.isBlank();
            if (blank) {
                if (!charTags.isEmpty()) {
                    return finish(idLine, text, charTags);
                }
                if (!comments.isEmpty()) {
                    if (!headerDone) {
                        header.addAll(comments); // header block followed by a blank line
                        comments.clear();
                    } else {
                        throw new NerDataException(file, commentLine, comments.get(comments.size() - 1),
                                "sentence line without characters");
                    }
                }
                if (line == null) {
                    return null;
                }
                continue;
            }
            if (line.startsWith("##")) {
                if (!charTags.isEmpty()) {
                    // a new sentence starts without a blank line: push back by ending this one
                    pending = line;
                    pendingLineNo = lineNo;
                    return finish(idLine, text, charTags);
                }
                comments.add(line);
                commentLine = lineNo;
                continue;
            }
            if (charTags.isEmpty()) {
                idLine = takeIdLine(comments);
            }
            int tab = line.lastIndexOf('\t');
            if (tab < 0) {
                throw new NerDataException(file, lineNo, line, "expected <character><TAB><tag>");
            }
            String ch = line.substring(0, tab);
            String tag = line.substring(tab + 1);
            if (ch.codePointCount(0, ch.length()) > 1 && ch.indexOf('\t') >= 0) {
                throw new NerDataException(file, lineNo, line, "expected 2 columns <character><TAB><tag>, got "
                        + line.split("\t", -1).length + " (an extra column)");
            }
            if (ch.isEmpty() || ch.codePointCount(0, ch.length()) != 1) {
                throw new NerDataException(file, lineNo, line, "expected exactly one character before the tab, got "
                        + ch.codePointCount(0, ch.length()));
            }
            if (!tags.contains(tag)) {
                throw new NerDataException(file, lineNo, line, "unknown tag '" + tag + "', expected one of " + tags.labels());
            }
            text.append(ch);
            charTags.add(tag);
        }
    }

    // one line of look-ahead for "##" lines that directly follow a sentence
    private String pending;
    private long pendingLineNo;

    private String takeIdLine(List<String> comments) {
        String id = comments.isEmpty() ? null : comments.remove(comments.size() - 1);
        if (!headerDone) {
            header.addAll(comments);
            headerDone = true;
        }
        comments.clear();
        return id;
    }

    private NerSentence finish(String idLine, StringBuilder text, List<String> charTags) {
        count++;
        String id;
        String annotated = null;
        if (idLine == null) {
            id = "sentence-" + (count - 1);
        } else {
            String rest = idLine.substring(2);
            if (rest.startsWith(" ")) {
                rest = rest.substring(1);
            }
            int tab = rest.indexOf('\t');
            id = tab < 0 ? rest : rest.substring(0, tab);
            annotated = tab < 0 ? null : rest.substring(tab + 1);
        }
        return new NerSentence(id, text.toString(), charTags, annotated);
    }
}
