package io.github.bert4j.bert.pretraining.shards;

import io.github.bert4j.bert.pretraining.data.TokenizedDocument;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardTest {

    @TempDir
    Path dir;

    static List<TokenizedDocument> randomDocs(int n, int vocab, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<TokenizedDocument> docs = new ArrayList<>();
        for (int d = 0; d < n; d++) {
            int[][] s = new int[1 + rng.nextInt(6)][];
            for (int i = 0; i < s.length; i++) {
                s[i] = rng.ints(1 + rng.nextInt(30), 0, vocab).toArray();
            }
            docs.add(new TokenizedDocument("doc-" + d + (d % 7 == 0 ? "-청원" : ""), s));
        }
        return docs;
    }

    @Test
    void roundTripKeepsDocumentsSentencesAndIds() throws Exception {
        List<TokenizedDocument> docs = randomDocs(50, 12000, 1);
        Path f = dir.resolve("s.bin");
        ShardInfo info = ShardWriter.write(f, 12000, docs);
        Shard shard = ShardReader.read(f);
        assertThat(shard.documents()).isEqualTo(docs);
        assertThat(shard.vocabSize()).isEqualTo(12000);
        assertThat(info.documents()).isEqualTo(50);
        assertThat(info.sentences()).isEqualTo(docs.stream().mapToInt(d -> d.sentences().length).sum());
        assertThat(info.tokens()).isEqualTo(docs.stream().mapToLong(TokenizedDocument::tokenCount).sum());
        // the documented layout: header, tables, ids, 4 bytes per token, CRC
        long idBytes = docs.stream().mapToLong(d -> 2 + d.id().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).sum();
        assertThat(Files.size(f)).isEqualTo(40 + 4L * 50 + 4L * info.sentences() + idBytes + 4 * info.tokens() + 4);
        // token ids little-endian int32: the last token sits just before the CRC
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        int[][] last = docs.get(49).sentences();
        int[] lastSentence = last[last.length - 1];
        assertThat(b.getInt((int) Files.size(f) - 8)).isEqualTo(lastSentence[lastSentence.length - 1]);
    }

    @Test
    void emptyShardRoundTrips() throws Exception {
        Path f = dir.resolve("e.bin");
        ShardWriter.write(f, 10, List.of());
        assertThat(ShardReader.read(f).documents()).isEmpty();
    }

    @Test
    void writerRejectsIdsOutsideTheVocabulary() {
        var doc = new TokenizedDocument("x", new int[][] {{1, 2, 99}});
        assertThatThrownBy(() -> ShardWriter.write(dir.resolve("x.bin"), 50, List.of(doc)))
                .hasMessageContaining("token id 99").hasMessageContaining("[0, 50)");
    }

    @Test
    void corruptShardsFailWithFileAndOffset() throws Exception {
        List<TokenizedDocument> docs = randomDocs(5, 100, 2);
        Path f = dir.resolve("c.bin");
        ShardWriter.write(f, 100, docs);
        byte[] good = Files.readAllBytes(f);

        // a token id out of range: offset of that token
        int firstToken = good.length - 4 - 4 * (int) docs.stream().mapToLong(TokenizedDocument::tokenCount).sum();
        byte[] bad = good.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(firstToken + 8, 12345);
        Files.write(f, bad);
        assertThatThrownBy(() -> ShardReader.read(f)).isInstanceOf(ShardFormatException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("offset " + (firstToken + 8))
                .hasMessageContaining("token id 12345")
                .satisfies(e -> assertThat(((ShardFormatException) e).offset()).isEqualTo(firstToken + 8));

        // a valid but different id: only the checksum catches it
        bad = good.clone();
        ByteBuffer bb = ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(firstToken, (bb.getInt(firstToken) + 1) % 100);
        Files.write(f, bad);
        assertThatThrownBy(() -> ShardReader.read(f)).hasMessageContaining("checksum mismatch")
                .hasMessageContaining("offset " + (good.length - 4));

        // truncated
        Files.write(f, java.util.Arrays.copyOf(good, good.length - 10));
        assertThatThrownBy(() -> ShardReader.read(f)).hasMessageContaining("truncated")
                .hasMessageContaining(f.getFileName().toString());
        Files.write(f, java.util.Arrays.copyOf(good, 20));
        assertThatThrownBy(() -> ShardReader.read(f)).hasMessageContaining("truncated");

        // not a shard
        Files.writeString(f, "{\"this\": \"is json, not a shard at all\"}".repeat(4));
        assertThatThrownBy(() -> ShardReader.read(f)).hasMessageContaining("offset 0").hasMessageContaining("magic");

        // a sentence length of zero in the table
        bad = good.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(40 + 4 * 5, 0);
        Files.write(f, bad);
        assertThatThrownBy(() -> ShardReader.read(f)).hasMessageContaining("offset " + (40 + 4 * 5))
                .hasMessageContaining("sentence 0 has 0 tokens");
    }
}
