package io.github.bert4j.core.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Entry point for reading corpora: several files of one format as one lazy stream of documents.
 * Files are opened one at a time, in the given order, and read line by line; at most one file is
 * open at any moment. Always close the returned stream (try-with-resources).
 */
public final class Corpora {

    private Corpora() {
    }

    /**
     * All documents of {@code files} in order. The stream is sequential and lazy in every
     * consumption mode (including {@code iterator()}, which would buffer whole files behind a
     * {@code flatMap}).
     */
    public static Stream<Document> open(List<Path> files, CorpusFormat format, SentenceSplitter splitter) {
        MultiFileIterator it = new MultiFileIterator(List.copyOf(files), format, splitter);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(it::close);
    }

    /** {@link #open(List, CorpusFormat, SentenceSplitter)} for one file. */
    public static Stream<Document> open(Path file, CorpusFormat format, SentenceSplitter splitter) {
        return open(List.of(file), format, splitter);
    }

    /**
     * Every sentence of the corpus, re-reading the files on each {@code iterator()} call (so it can
     * be iterated several times, e.g. by a two-pass vocabulary trainer). Each iterator closes its
     * file when exhausted; an abandoned iterator keeps one file open until garbage collection.
     */
    public static Iterable<String> sentences(List<Path> files, CorpusFormat format, SentenceSplitter splitter) {
        List<Path> copy = List.copyOf(files);
        return () -> {
            MultiFileIterator docs = new MultiFileIterator(copy, format, splitter);
            return new Iterator<>() {
                private Iterator<String> current = java.util.Collections.emptyIterator();

                @Override
                public boolean hasNext() {
                    while (!current.hasNext()) {
                        if (!docs.hasNext()) {
                            return false;
                        }
                        current = docs.next().sentences().iterator();
                    }
                    return true;
                }

                @Override
                public String next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return current.next();
                }
            };
        };
    }

    /**
     * Expands directories to the regular files directly inside them (sorted by name, hidden files
     * skipped); plain files are kept as given. A path that does not exist is an error.
     */
    public static List<Path> expand(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                            .sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + p, e);
                }
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new UncheckedIOException(new java.nio.file.NoSuchFileException(p.toString(), null, "corpus file not found"));
            }
        }
        return out;
    }

    /** Iterates the documents of several files, opening each file only when the previous one is done. */
    private static final class MultiFileIterator implements Iterator<Document>, AutoCloseable {
        private final List<Path> files;
        private final CorpusFormat format;
        private final SentenceSplitter splitter;
        private int nextFile;
        private CorpusReader current;
        private boolean closed;

        MultiFileIterator(List<Path> files, CorpusFormat format, SentenceSplitter splitter) {
            this.files = files;
            this.format = format;
            this.splitter = splitter;
        }

        @Override
        public boolean hasNext() {
            while (!closed) {
                if (current != null && current.hasNext()) {
                    return true;
                }
                if (current != null) {
                    current.close();
                    current = null;
                }
                if (nextFile >= files.size()) {
                    return false;
                }
                current = format.open(files.get(nextFile++), splitter);
            }
            return false;
        }

        @Override
        public Document next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }

        @Override
        public void close() {
            closed = true;
            if (current != null) {
                current.close();
                current = null;
            }
        }
    }
}
