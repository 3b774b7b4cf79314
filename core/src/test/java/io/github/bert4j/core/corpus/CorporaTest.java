package io.github.bert4j.core.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bert4j.core.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CorporaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CorpusFormat PETITIONS = CorpusFormat.parse("jsonl:content");

    @Test
    void readsTheFirstPetitionsWithIdsAndText() throws IOException {
        Path file = TestData.firstPetitions();
        List<String> lines;
        try (Stream<String> s = Files.lines(file)) {
            lines = s.limit(5).toList();
        }
        try (Stream<Document> docs = Corpora.open(file, PETITIONS, SentenceSplitter.korean())) {
            List<Document> first = docs.limit(5).toList();
            for (int i = 0; i < 5; i++) {
                Document d = first.get(i);
                String content = JSON.readTree(lines.get(i)).get("content").textValue();
                assertThat(d.id()).isEqualTo("petitions_2017-08.jsonl:" + (i + 1));
                // nothing lost or reordered by the splitter
                assertThat(d.text().replaceAll("\\s", "")).isEqualTo(content.replaceAll("\\s", ""));
                assertThat(content).startsWith(d.sentences().get(0));
            }
            assertThat(first.get(0).sentences().get(0)).isEqualTo("안녕하세요.");
            assertThat(first.get(3).sentences().get(0)).isEqualTo("길고양이들 밥주고있는 사람입니다.");
        }
    }

    @Test
    void countsEveryPetitionDocument() throws IOException {
        // independent count: lines of all five files, minus the ones whose content is blank
        long lines = 0;
        long blank = 0;
        for (Path f : TestData.petitions()) {
            for (String line : Files.readAllLines(f)) {
                lines++;
                JsonNode n = JSON.readTree(line);
                if (n.get("content").textValue().isBlank()) {
                    blank++;
                }
            }
        }
        assertThat(lines).isEqualTo(3052);
        assertThat(blank).isEqualTo(22);
        try (Stream<Document> docs = Corpora.open(TestData.petitions(), PETITIONS, SentenceSplitter.korean())) {
            List<String> ids = docs.map(Document::id).toList();
            assertThat(ids).hasSize((int) (lines - blank)).hasSize(3030).doesNotHaveDuplicates();
            assertThat(ids.get(ids.size() - 1)).isEqualTo("petitions_2019-07.jsonl:610");
        }
    }

    @Test
    void readingTheFirstDocumentReadsOneLine() {
        try (CorpusReader r = PETITIONS.open(TestData.firstPetitions(), SentenceSplitter.korean())) {
            assertThat(r.hasNext()).isTrue();
            r.next();
            assertThat(((LineCorpusReader) r).linesRead()).isEqualTo(1);
        }
    }

    @Test
    void streamsLazilyAcrossFilesEvenThroughIterator(@TempDir Path dir) throws IOException {
        // a large file whose end is corrupt, followed by a file that does not exist: the first
        // documents come out without the reader ever reaching either problem
        Path big = dir.resolve("big.jsonl");
        try (var w = Files.newBufferedWriter(big)) {
            for (int i = 0; i < 60_000; i++) {
                w.write("{\"content\": \"문장 " + i + "입니다. 둘째 문장입니다.\"}\n");
            }
            w.write("{not json\n");
        }
        assertThat(Files.size(big)).isGreaterThan(2_500_000); // far beyond any read buffer
        List<Path> files = List.of(big, dir.resolve("missing.jsonl"));
        try (Stream<Document> docs = Corpora.open(files, PETITIONS, SentenceSplitter.korean())) {
            Iterator<Document> it = docs.iterator();
            Document d = it.next();
            assertThat(d.sentences()).containsExactly("문장 0입니다.", "둘째 문장입니다.");
            assertThat(it.next().id()).isEqualTo("big.jsonl:2");
        }
        try (Stream<Document> docs = Corpora.open(files, CorpusFormat.parse("jsonl:content,nosplit"), SentenceSplitter.korean())) {
            assertThatThrownBy(docs::count).isInstanceOf(CorpusException.class)
                    .hasMessage(big + ", line 60001: invalid JSON, expected one object per line "
                            + "(Unexpected character ('n' (code 110)): was expecting double-quote to start field name)");
        }
    }

    @Test
    void malformedJsonLinesNameFileLineAndWhatWasExpected(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("p.jsonl");
        Files.writeString(f, "{\"content\": \"좋다.\"}\n\n{\"title\": \"x\", \"body\": \"y\"}\n");
        assertThatThrownBy(() -> drain(f, PETITIONS)).isInstanceOf(CorpusException.class)
                .hasMessage(f + ", line 3: missing field \"content\" (fields: title, body)")
                .satisfies(e -> assertThat(((CorpusException) e).line()).isEqualTo(3));
        Files.writeString(f, "{\"content\": 3}\n");
        assertThatThrownBy(() -> drain(f, PETITIONS)).hasMessage(f + ", line 1: field \"content\" must be a string, got number");
        Files.writeString(f, "[1, 2]\n");
        assertThatThrownBy(() -> drain(f, PETITIONS)).hasMessage(f + ", line 1: expected a JSON object, got array");
        Files.writeString(f, "{\"content\": \"a\"}\n");
        assertThatThrownBy(() -> drain(f, CorpusFormat.parse("jsonl:content,id=idx")))
                .hasMessage(f + ", line 1: missing id field \"idx\"");
        Files.write(f, new byte[] {'{', '"', 'c', (byte) 0xff, '"', '}', '\n'});
        assertThatThrownBy(() -> drain(f, PETITIONS)).isInstanceOf(CorpusException.class)
                .hasMessageStartingWith(f + ", line 1: invalid UTF-8");
    }

    @Test
    void jsonLinesRejectConcatenatedObjectsTrailingGarbageAndDuplicateKeys(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("p.jsonl");
        Files.writeString(f, "{\"content\":\"좋다.\"}\n{\"content\":\"하나.\"}{\"content\":\"둘.\"}\n");
        assertThatThrownBy(() -> drain(f, PETITIONS)).isInstanceOf(CorpusException.class)
                .hasMessageStartingWith(f + ", line 2: invalid JSON, expected one object per line (more after the object")
                .satisfies(e -> assertThat(((CorpusException) e).line()).isEqualTo(2));
        Files.writeString(f, "{\"content\":\"x\"} xyz\n");
        assertThatThrownBy(() -> drain(f, PETITIONS)).isInstanceOf(CorpusException.class)
                .hasMessageStartingWith(f + ", line 1: invalid JSON, expected one object per line (");
        Files.writeString(f, "{\"content\":\"x\"} 3\n");
        assertThatThrownBy(() -> drain(f, PETITIONS)).isInstanceOf(CorpusException.class)
                .hasMessageStartingWith(f + ", line 1: invalid JSON, expected one object per line (more after the object");
        Files.writeString(f, "\n{\"content\":\"첫째.\", \"content\":\"둘째.\"}\n");
        assertThatThrownBy(() -> drain(f, PETITIONS)).isInstanceOf(CorpusException.class)
                .hasMessageStartingWith(f + ", line 2: invalid JSON, expected one object per line (Duplicate field 'content'");
        // whitespace after the object is fine
        Files.writeString(f, "{\"content\":\"좋다.\"}  \t\n");
        assertThat(drain(f, PETITIONS)).hasSize(1);
    }

    @Test
    void invalidUtf8IsReportedAtItsTrueLineAndByteOffset(@TempDir Path dir) throws IOException {
        // the reader must not decode ahead in blocks: bad bytes deep in a file of multi-byte lines
        for (String kind : List.of("jsonl", "tsv", "text", "jsonl.gz", "crlf")) {
            for (int badLine : new int[] {1, 3001, 6003}) {
                Path f = dir.resolve(kind + "-" + badLine + (kind.endsWith("gz") ? ".jsonl.gz" : ".txt"));
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                long offset = -1;
                for (int i = 1; i <= badLine + 50; i++) {
                    String text = "문장 " + i + " 입니다.";
                    String line = switch (kind) {
                        case "tsv" -> i + "\t" + text;
                        case "text", "crlf" -> text;
                        default -> "{\"content\":\"" + text + "\"}";
                    };
                    byte[] b = line.getBytes(StandardCharsets.UTF_8);
                    if (i == badLine) {
                        int at = line.lastIndexOf('.') + (b.length - line.length()); // the ASCII '.' after the Hangul
                        b[at] = (byte) 0xff;
                        offset = bytes.size() + at;
                    }
                    bytes.write(b);
                    bytes.write(kind.equals("crlf") ? new byte[] {'\r', '\n'} : new byte[] {'\n'});
                }
                if (kind.endsWith("gz")) {
                    try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(f))) {
                        bytes.writeTo(out);
                    }
                } else {
                    Files.write(f, bytes.toByteArray());
                }
                CorpusFormat format = switch (kind) {
                    case "tsv" -> CorpusFormat.parse("tsv:1");
                    case "text", "crlf" -> CorpusFormat.parse("text");
                    default -> PETITIONS;
                };
                long expectedOffset = offset;
                assertThatThrownBy(() -> drain(f, format)).as(kind + " line " + badLine).isInstanceOf(CorpusException.class)
                        .hasMessage(f + ", line " + badLine + ": invalid UTF-8: byte 0xff at byte offset " + expectedOffset)
                        .satisfies(e -> assertThat(((CorpusException) e).line()).isEqualTo(badLine));
            }
        }
    }

    @Test
    void jsonLinesOptions(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("p.jsonl");
        Files.writeString(f, "{\"content\": \"하나. 둘.\", \"idx\": 17}\n{\"content\": \"  \", \"idx\": 18}\n");
        assertThat(drain(f, CorpusFormat.parse("jsonl:content,id=idx")))
                .containsExactly(new Document("17", List.of("하나.", "둘.")));
        assertThat(drain(f, CorpusFormat.parse("jsonl:content,nosplit")))
                .containsExactly(new Document("p.jsonl:1", List.of("하나. 둘.")));
    }

    @Test
    void plainTextDocumentsEndAtBlankLinesAndEod(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("c.txt");
        Files.writeString(f, "\uFEFF첫 문장.\n둘째 문장.\n\n\n셋째.\n[EOD]\n넷째. 다섯째.\n  [EOD]  \n[EOD]\n\n여섯째\n");
        assertThat(drain(f, CorpusFormat.parse("text"))).containsExactly(
                new Document("c.txt:1", List.of("첫 문장.", "둘째 문장.")),
                new Document("c.txt:5", List.of("셋째.")),
                new Document("c.txt:7", List.of("넷째. 다섯째.")),
                new Document("c.txt:11", List.of("여섯째")));
        assertThat(drain(f, CorpusFormat.parse("text,split")).get(2).sentences()).containsExactly("넷째.", "다섯째.");
    }

    @Test
    void gzipFilesAreReadTransparently(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("c.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write("가.\n나.\n\n다.\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(drain(f, CorpusFormat.parse("text"))).extracting(Document::sentences)
                .containsExactly(List.of("가.", "나."), List.of("다."));
    }

    @Test
    void kluRawSentencesAreOneSentenceDocuments() throws IOException {
        Path f = TestData.kluRawSentences();
        try (Stream<Document> docs = Corpora.open(f, CorpusFormat.parse("tsv:1,id=0"), SentenceSplitter.korean())) {
            List<Document> first = docs.limit(2).toList();
            assertThat(first.get(0)).isEqualTo(new Document("klue-ner-v1_train_00000_wikitree",
                    List.of("특히 영동고속도로 강릉 방향 문막휴게소에서 만종분기점까지 5km 구간에는 승용차 전용 임시 갓길차로제를 운영하기로 했다.")));
            assertThat(first.get(1).sentences()).containsExactly("한군데서 필름을 너무 낭비한 작품입니다.");
        }
        long lines;
        try (Stream<String> s = Files.lines(f)) {
            lines = s.filter(l -> !l.split("\t", -1)[1].isBlank()).count();
        }
        try (Stream<Document> docs = Corpora.open(f, CorpusFormat.parse("tsv:1"), SentenceSplitter.korean())) {
            List<Document> all = docs.toList();
            assertThat(all).hasSize((int) lines).hasSize(21008);
            assertThat(all).allSatisfy(d -> assertThat(d.sentences()).hasSize(1));
            assertThat(all.get(2).id()).isEqualTo("klue-ner-v1.1_train_sentences.tsv:3");
        }
    }

    @Test
    void tsvGroupingHeaderAndErrors(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("s.tsv");
        Files.writeString(f, "doc\ttext\nA\t하나.\nA\t둘. 셋.\n\nB\t넷.\nA\t다섯.\nC\t \n");
        assertThat(drain(f, CorpusFormat.parse("tsv:1,group=0,header"))).containsExactly(
                new Document("A", List.of("하나.", "둘. 셋.")),
                new Document("B", List.of("넷.")),
                new Document("A", List.of("다섯.")));
        assertThat(drain(f, CorpusFormat.parse("tsv:1,group=0,header,split")).get(0).sentences())
                .containsExactly("하나.", "둘.", "셋.");
        Files.writeString(f, "a\tb\nonly-one-column\n");
        assertThatThrownBy(() -> drain(f, CorpusFormat.parse("tsv:1"))).isInstanceOf(CorpusException.class)
                .hasMessage(f + ", line 2: expected at least 2 tab-separated columns, got 1");
    }

    @Test
    void sentencesIterableCanBeIteratedTwice(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a.txt");
        Path b = dir.resolve("b.txt");
        Files.writeString(a, "1\n2\n\n3\n");
        Files.writeString(b, "4\n");
        Iterable<String> s = Corpora.sentences(List.of(a, b), CorpusFormat.parse("text"), SentenceSplitter.korean());
        List<String> first = new ArrayList<>();
        s.forEach(first::add);
        List<String> second = new ArrayList<>();
        s.forEach(second::add);
        assertThat(first).containsExactly("1", "2", "3", "4").isEqualTo(second);
        assertThat(Corpora.expand(List.of(dir))).containsExactly(a, b);
    }

    @Test
    void formatSpecsParseAndPrint() {
        assertThat(CorpusFormat.parse("text")).isEqualTo(new CorpusFormat.PlainText(false));
        assertThat(CorpusFormat.parse("jsonl:content")).isEqualTo(new CorpusFormat.JsonLines("content", null, true));
        assertThat(CorpusFormat.parse("tsv:1")).isEqualTo(new CorpusFormat.Tsv(1, -1, -1, false, false));
        for (String spec : List.of("text", "text,split", "jsonl:content", "jsonl:content,id=petition_idx,nosplit",
                "tsv:1", "tsv:1,id=0", "tsv:2,group=0,header,split")) {
            assertThat(CorpusFormat.parse(spec)).hasToString(spec);
        }
        assertThatThrownBy(() -> CorpusFormat.parse("csv:1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid corpus format 'csv:1': unknown format 'csv'; expected text[,split] | jsonl:FIELD");
        assertThatThrownBy(() -> CorpusFormat.parse("jsonl")).hasMessageContaining("jsonl needs the text field, e.g. jsonl:content");
        assertThatThrownBy(() -> CorpusFormat.parse("tsv:x")).hasMessageContaining("text column must be a column number >= 0, got 'x'");
        assertThatThrownBy(() -> CorpusFormat.parse("tsv:1,colour=red")).hasMessageContaining("unknown option(s) [colour]");
    }

    private static List<Document> drain(Path f, CorpusFormat format) {
        try (Stream<Document> docs = Corpora.open(f, format, SentenceSplitter.korean())) {
            return docs.toList();
        }
    }
}
