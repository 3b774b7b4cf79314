package io.github.bert4j.ner.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes sentences in the KLUE NER file format read by {@link KlueNerReader}: the header comment
 * lines, then per sentence {@code ## <id>\t<annotated>} followed by one {@code <char>\t<tag>} line
 * per code point, sentences separated by one blank line, every line ending in {@code \n}, no
 * trailing blank line. Reading a KLUE file and writing its header and sentences back reproduces it
 * byte for byte.
 */
public final class KlueNerWriter implements AutoCloseable {

    private final Writer out;
    private boolean first = true;

    public KlueNerWriter(Writer out) {
        this.out = out instanceof BufferedWriter ? out : new BufferedWriter(out);
    }

    /** Opens (creates or truncates) a UTF-8 file. */
    public static KlueNerWriter open(Path file) throws IOException {
        return new KlueNerWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    /** Writes a whole file. */
    public static void write(Path file, List<String> header, Iterable<NerSentence> sentences) throws IOException {
        try (KlueNerWriter w = open(file)) {
            w.writeHeader(header);
            for (NerSentence s : sentences) {
                w.write(s);
            }
        }
    }

    /** Header comment lines (each should start with {@code ##}); call before the first sentence. */
    public void writeHeader(List<String> lines) throws IOException {
        if (!first) {
            throw new IllegalStateException("the header must precede the sentences");
        }
        for (String l : lines) {
            out.write(l);
            out.write('\n');
        }
    }

    public void write(NerSentence s) throws IOException {
        if (!first) {
            out.write('\n');
        }
        first = false;
        out.write("## ");
        out.write(s.id());
        out.write('\t');
        out.write(s.annotatedOrDerived());
        out.write('\n');
        String text = s.text();
        int i = 0;
        for (int off = 0; off < text.length(); i++) {
            int cp = text.codePointAt(off);
            out.write(text, off, Character.charCount(cp));
            out.write('\t');
            out.write(s.charTags().get(i));
            out.write('\n');
            off += Character.charCount(cp);
        }
    }

    /** Flushes what was written (without closing the underlying writer). */
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** {@link #write(NerSentence)} without the checked exception, for lambdas. */
    public void writeUnchecked(NerSentence s) {
        try {
            write(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
