package io.github.bert4j.bert.pretraining.shards;

import io.github.bert4j.bert.pretraining.data.TokenizedDocument;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Reads and validates a shard written by {@link ShardWriter}. Every structural check reports the
 * byte offset of the first bad field ({@link ShardFormatException}); the CRC-32 in the trailer
 * catches corruption that leaves the structure valid (a flipped token id, say).
 */
public final class ShardReader {

    private ShardReader() {
    }

    /** Reads {@code file} completely. */
    public static Shard read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < ShardWriter.HEADER_BYTES + 4) {
            throw new ShardFormatException(file, bytes.length, "truncated: " + bytes.length
                    + " bytes is shorter than the " + (ShardWriter.HEADER_BYTES + 4) + "-byte header and trailer");
        }
        byte[] magic = Arrays.copyOf(bytes, 8);
        if (!Arrays.equals(magic, ShardWriter.MAGIC)) {
            throw new ShardFormatException(file, 0, "not a bert4j token shard: magic "
                    + new String(magic, StandardCharsets.ISO_8859_1) + ", expected B4JTOKS1");
        }
        int version = buf.getInt(8);
        if (version != ShardWriter.VERSION) {
            throw new ShardFormatException(file, 8, "unsupported format version " + version + ", expected " + ShardWriter.VERSION);
        }
        int vocabSize = buf.getInt(12);
        int docs = buf.getInt(16);
        int sentences = buf.getInt(20);
        long tokens = buf.getLong(24);
        int idBytes = buf.getInt(32);
        positive(file, 12, "vocabulary size", vocabSize, 1);
        positive(file, 16, "document count", docs, 0);
        positive(file, 20, "sentence count", sentences, docs);
        positive(file, 24, "token count", tokens, sentences);
        positive(file, 32, "document-id section size", idBytes, 2L * docs);
        long expected = ShardWriter.HEADER_BYTES + 4L * docs + 4L * sentences + idBytes + 4L * tokens + 4;
        if (expected != bytes.length) {
            throw new ShardFormatException(file, Math.min(expected, bytes.length), (expected > bytes.length ? "truncated" : "trailing bytes")
                    + ": the header announces " + expected + " bytes, the file has " + bytes.length);
        }
        int pos = ShardWriter.HEADER_BYTES;
        int[] sentencesPerDoc = new int[docs];
        long sentenceSum = 0;
        for (int d = 0; d < docs; d++, pos += 4) {
            sentencesPerDoc[d] = buf.getInt(pos);
            if (sentencesPerDoc[d] < 1) {
                throw new ShardFormatException(file, pos, "document " + d + " has " + sentencesPerDoc[d] + " sentences, expected >= 1");
            }
            sentenceSum += sentencesPerDoc[d];
        }
        if (sentenceSum != sentences) {
            throw new ShardFormatException(file, ShardWriter.HEADER_BYTES, "sentences per document sum to " + sentenceSum
                    + ", the header says " + sentences);
        }
        int sentenceTable = pos;
        long tokenSum = 0;
        for (int s = 0; s < sentences; s++) {
            int len = buf.getInt(pos + 4 * s);
            if (len < 1) {
                throw new ShardFormatException(file, pos + 4L * s, "sentence " + s + " has " + len + " tokens, expected >= 1");
            }
            tokenSum += len;
        }
        if (tokenSum != tokens) {
            throw new ShardFormatException(file, sentenceTable, "tokens per sentence sum to " + tokenSum + ", the header says " + tokens);
        }
        pos += 4 * sentences;
        String[] ids = new String[docs];
        int idEnd = pos + idBytes;
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        for (int d = 0; d < docs; d++) {
            int len = pos + 2 <= idEnd ? buf.getShort(pos) : -1;
            if (len < 0 || pos + 2 + len > idEnd) {
                throw new ShardFormatException(file, pos, "document id " + d + " runs past the id section (ends at " + idEnd + ")");
            }
            try {
                ids[d] = decoder.decode(ByteBuffer.wrap(bytes, pos + 2, len)).toString();
            } catch (CharacterCodingException e) {
                throw new ShardFormatException(file, pos + 2, "document id " + d + " is not valid UTF-8");
            }
            pos += 2 + len;
        }
        if (pos != idEnd) {
            throw new ShardFormatException(file, pos, "document ids end at " + pos + ", the header says " + idEnd);
        }
        List<TokenizedDocument> out = new ArrayList<>(docs);
        int sentence = 0;
        for (int d = 0; d < docs; d++) {
            int[][] sents = new int[sentencesPerDoc[d]][];
            for (int k = 0; k < sents.length; k++, sentence++) {
                int[] ids2 = new int[buf.getInt(sentenceTable + 4 * sentence)];
                for (int t = 0; t < ids2.length; t++, pos += 4) {
                    int id = buf.getInt(pos);
                    if (id < 0 || id >= vocabSize) {
                        throw new ShardFormatException(file, pos, "token id " + id + " outside the vocabulary [0, " + vocabSize + ")");
                    }
                    ids2[t] = id;
                }
                sents[k] = ids2;
            }
            out.add(new TokenizedDocument(ids[d], sents));
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, pos);
        int stored = buf.getInt(pos);
        if (stored != (int) crc.getValue()) {
            throw new ShardFormatException(file, pos, String.format("checksum mismatch: stored CRC-32 %08x, computed %08x (the file is corrupt)",
                    stored, (int) crc.getValue()));
        }
        return new Shard(file, vocabSize, out);
    }

    private static void positive(Path file, long offset, String what, long value, long min) {
        if (value < min) {
            throw new ShardFormatException(file, offset, what + " is " + value + ", expected >= " + min);
        }
    }
}
