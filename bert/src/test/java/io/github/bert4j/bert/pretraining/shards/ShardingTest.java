package io.github.bert4j.bert.pretraining.shards;

import io.github.bert4j.bert.pretraining.data.TokenizedDocument;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.core.corpus.Corpora;
import io.github.bert4j.core.corpus.CorpusFormat;
import io.github.bert4j.core.corpus.Document;
import io.github.bert4j.core.corpus.SentenceSplitter;
import io.github.bert4j.core.testing.TestData;
import io.github.bert4j.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokenizes real petitions into shards with a character-level WordPiece vocabulary. */
class ShardingTest {

    @TempDir
    static Path dir;
    static Tokenizer tokenizer;
    static List<Document> documents;

    @BeforeAll
    static void setUp() throws Exception {
        try (Stream<Document> s = Corpora.open(TestData.firstPetitions(), CorpusFormat.parse("jsonl:content"),
                SentenceSplitter.korean())) {
            documents = s.limit(150).toList();
        }
        tokenizer = charTokenizer(documents, dir.resolve("vocab.txt"));
    }

    /** [PAD] [UNK] [CLS] [SEP] [MASK] [EOD], then every character c and ##c of the documents. */
    static Tokenizer charTokenizer(List<Document> docs, Path vocabTxt) throws Exception {
        TreeSet<String> chars = new TreeSet<>();
        for (Document d : docs) {
            for (String s : d.sentences()) {
                s.codePoints().filter(c -> !Character.isWhitespace(c)).forEach(c -> chars.add(new String(Character.toChars(c))));
            }
        }
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[EOD]"));
        vocab.addAll(chars);
        chars.forEach(c -> vocab.add("##" + c));
        Files.write(vocabTxt, vocab);
        return Tokenizer.fromVocab(vocabTxt);
    }

    @Test
    void shardsHoldTheTokenizedDocumentsInOrderWhateverTheThreadCount() throws Exception {
        ShardSet two = Sharding.tokenize(documents.stream(), tokenizer, dir.resolve("t2"), 40, "petitions", 2);
        ShardSet one = Sharding.tokenize(documents.stream(), tokenizer, dir.resolve("t1"), 40, "petitions", 1);
        assertThat(two.shards()).hasSize(4); // 150 / 40
        assertThat(two.documents()).isEqualTo(documents.size());
        for (int i = 0; i < two.shards().size(); i++) {
            assertThat(Files.readAllBytes(two.file(i))).isEqualTo(Files.readAllBytes(one.file(i)));
        }
        List<TokenizedDocument> read = new ArrayList<>();
        for (int i = 0; i < two.shards().size(); i++) {
            read.addAll(two.read(i).documents());
        }
        long tokens = 0;
        for (int d = 0; d < documents.size(); d++) {
            Document doc = documents.get(d);
            TokenizedDocument td = read.get(d);
            assertThat(td.id()).isEqualTo(doc.id());
            List<int[]> expected = new ArrayList<>();
            for (String s : doc.sentences()) {
                int[] ids = tokenizer.encode(s, false).ids();
                if (ids.length > 0) {
                    expected.add(ids);
                }
            }
            assertThat(td.sentences()).isDeepEqualTo(expected.toArray(int[][]::new));
            tokens += td.tokenCount();
        }
        assertThat(two.tokens()).isEqualTo(tokens);
        assertThat(tokens).isGreaterThan(30_000);

        ShardSet loaded = ShardSet.load(dir.resolve("t2")).orElseThrow();
        assertThat(loaded.shards()).isEqualTo(two.shards());
        assertThat(loaded.tokenizer()).isEqualTo(Sharding.fingerprint(tokenizer.vocab()));
        assertThat(loaded.source()).isEqualTo("petitions");
    }

    @Test
    void retokenizingReplacesOldShards() throws Exception {
        Path out = dir.resolve("again");
        Sharding.tokenize(documents.stream(), tokenizer, out, 10, "a", 2);
        ShardSet fewer = Sharding.tokenize(documents.stream().limit(30), tokenizer, out, 10, "b", 2);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".bin")).count()).isEqualTo(3);
        }
        assertThat(fewer.documents()).isEqualTo(30);
    }
}
