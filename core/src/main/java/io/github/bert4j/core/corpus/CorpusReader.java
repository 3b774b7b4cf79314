package io.github.bert4j.core.corpus;

import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Streams the documents of one corpus file, reading it line by line (never the whole file).
 * {@link #next()} throws {@link CorpusException} for malformed input and
 * {@link java.io.UncheckedIOException} for I/O errors. Close it (or the stream of
 * {@link #documents()}) to release the file.
 */
public interface CorpusReader extends Iterator<Document>, AutoCloseable {

    /** Closes the underlying file; idempotent. */
    @Override
    void close();

    /** The remaining documents as a lazy, ordered stream that closes this reader when closed. */
    default Stream<Document> documents() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(this::close);
    }
}
