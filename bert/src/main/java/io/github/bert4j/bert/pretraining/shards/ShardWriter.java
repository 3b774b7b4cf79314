package io.github.bert4j.bert.pretraining.shards;

import io.github.bert4j.bert.pretraining.data.TokenizedDocument;
import io.github.bert4j.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes a token shard: a compact binary file holding a few hundred or thousand tokenized
 * documents. All integers are little-endian.
 *
 * <pre>
 * offset  size            field
 * 0       8               magic "B4JTOKS1"
 * 8       4   int32       format version (1)
 * 12      4   int32       vocabulary size (every token id is in [0, vocab size))
 * 16      4   int32       D = number of documents
 * 20      4   int32       S = number of sentences
 * 24      8   int64       N = number of tokens
 * 32      4   int32       I = bytes of the document-id section
 * 36      4   int32       reserved (0)
 * 40      4*D int32[D]    sentences per document (each >= 1)
 *         4*S int32[S]    tokens per sentence (each >= 1)
 *         I               document ids, each: int16 byte length + UTF-8 bytes
 *         4*N int32[N]    token ids, documents and sentences in order
 *         4   uint32      CRC-32 of every byte before it
 * </pre>
 *
 * Files are written to a temporary sibling and renamed into place, so a crash never leaves a half
 * written shard under the final name. A shard is held in memory while it is written or read;
 * corpora larger than memory are split into many shards ({@link Sharding}).
 */
public final class ShardWriter {

    static final byte[] MAGIC = "B4JTOKS1".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int HEADER_BYTES = 40;

    private ShardWriter() {
    }

    /**
     * Writes {@code documents} to {@code file} (replacing it).
     *
     * @param vocabSize the tokenizer's vocabulary size; every id must be in {@code [0, vocabSize)}
     * @return what was written
     * @throws IllegalArgumentException if a document is empty, an id is out of range or the shard
     *     would exceed 2 GiB
     */
    public static ShardInfo write(Path file, int vocabSize, List<TokenizedDocument> documents) throws IOException {
        int sentences = 0;
        long tokens = 0;
        long idBytes = 0;
        byte[][] ids = new byte[documents.size()][];
        for (int d = 0; d < documents.size(); d++) {
            TokenizedDocument doc = documents.get(d);
            if (doc.sentences().length == 0) {
                throw new IllegalArgumentException("document " + doc.id() + " has no sentences");
            }
            sentences += doc.sentences().length;
            for (int[] s : doc.sentences()) {
                for (int id : s) {
                    if (id < 0 || id >= vocabSize) {
                        throw new IllegalArgumentException("document " + doc.id() + ": token id " + id
                                + " outside the vocabulary [0, " + vocabSize + ")");
                    }
                }
                tokens += s.length;
            }
            ids[d] = doc.id().getBytes(StandardCharsets.UTF_8);
            if (ids[d].length > Short.MAX_VALUE) {
                throw new IllegalArgumentException("document id longer than 32767 bytes: " + doc.id());
            }
            idBytes += 2 + ids[d].length;
        }
        long size = HEADER_BYTES + 4L * documents.size() + 4L * sentences + idBytes + 4L * tokens + 4;
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("shard of " + size + " bytes exceeds 2 GiB: use fewer documents per shard");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).putInt(VERSION).putInt(vocabSize).putInt(documents.size()).putInt(sentences)
                .putLong(tokens).putInt((int) idBytes).putInt(0);
        for (TokenizedDocument doc : documents) {
            buf.putInt(doc.sentences().length);
        }
        for (TokenizedDocument doc : documents) {
            for (int[] s : doc.sentences()) {
                buf.putInt(s.length);
            }
        }
        for (byte[] id : ids) {
            buf.putShort((short) id.length).put(id);
        }
        for (TokenizedDocument doc : documents) {
            for (int[] s : doc.sentences()) {
                for (int id : s) {
                    buf.putInt(id);
                }
            }
        }
        CRC32 crc = new CRC32();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue());

        AtomicFiles.write(file, out -> out.write(buf.array()));
        return new ShardInfo(file.getFileName().toString(), documents.size(), sentences, tokens);
    }
}
