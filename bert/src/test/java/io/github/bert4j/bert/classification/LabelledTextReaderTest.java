package io.github.bert4j.bert.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bert4j.core.corpus.CorpusException;
import io.github.bert4j.core.testing.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LabelledTextReader}: the official petitions unchanged, and every malformed line named by file and line. */
class LabelledTextReaderTest {

    @TempDir
    Path tmp;

    private Path write(String name, String... lines) throws IOException {
        Path f = tmp.resolve(name);
        Files.write(f, List.of(lines), StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void readsTheOfficialPetitionsUnchanged() {
        LabelledTextReader.Corpus c = LabelledTextReader.defaults().read(TestData.petitions());
        // 3,052 documents, 22 of them with an empty content
        assertThat(c.lines()).isEqualTo(3052);
        assertThat(c.skippedEmpty()).hasSize(22).contains("petitions_2019-04.jsonl:9");
        assertThat(c.documents()).hasSize(3030);
        Map<String, Integer> counts = new TreeMap<>();
        c.documents().forEach(d -> counts.merge(d.label(), 1, Integer::sum));
        assertThat(counts).hasSize(17);
        assertThat(counts.get("반려동물")).isEqualTo(61 - 4); // four petitions for pets have no content
        LabelledText first = c.documents().get(0);
        assertThat(first.id()).isEqualTo("petitions_2017-08.jsonl:1");
        assertThat(first.label()).isEqualTo("육아/교육");
        assertThat(first.text()).startsWith("안녕하세요. 현재 사대, 교대");
        // with the title every document has a text, and the indices do not move
        LabelledTextReader.Corpus withTitle = new LabelledTextReader(null, List.of("title", "content"), "category",
                LabelledTextReader.EmptyText.ERROR).read(TestData.petitions());
        assertThat(withTitle.documents()).hasSize(3052);
        assertThat(withTitle.skippedEmpty()).isEmpty();
        Map<String, Integer> all = new TreeMap<>();
        withTitle.documents().forEach(d -> all.merge(d.label(), 1, Integer::sum));
        assertThat(all.get("육아/교육")).isEqualTo(366);
        assertThat(all.values().stream().mapToInt(Integer::intValue).max().getAsInt()).isEqualTo(366);
        assertThat(withTitle.documents().get(0).text()).startsWith("학교는 인력센터, 취업센터가 아닙니다. 정말 간곡히 부탁드립니다.\n안녕하세요.");
        for (LabelledText d : c.documents()) {
            assertThat(withTitle.documents().get(d.index()).id()).isEqualTo(d.id());
        }
    }

    @Test
    void skippedDocumentsKeepTheirIndexAndBlankLinesAreNoDocuments() throws IOException {
        Path a = write("a.jsonl", "{\"content\": \"하나\", \"category\": \"x\"}", "", "{\"content\": \"  \", \"category\": \"y\"}");
        Path b = write("b.jsonl", "{\"content\": \"셋\", \"category\": \"y\"}");
        LabelledTextReader.Corpus c = LabelledTextReader.defaults().read(List.of(a, b));
        assertThat(c.lines()).isEqualTo(3);
        assertThat(c.skippedEmpty()).containsExactly("a.jsonl:3");
        assertThat(c.documents()).extracting(LabelledText::index).containsExactly(0, 2);
        assertThat(c.documents()).extracting(LabelledText::id).containsExactly("a.jsonl:1", "b.jsonl:1");
        assertThat(c.documents().get(1).line()).isEqualTo(1);
    }

    @Test
    void everyMalformedLineIsNamedByFileAndLineWithWhatWasExpected() throws IOException {
        LabelledTextReader r = LabelledTextReader.defaults();
        String ok = "{\"content\": \"좋아요\", \"category\": \"x\"}";
        assertError(r, write("missing.jsonl", ok, "{\"text\": \"t\", \"category\": \"x\"}"),
                "missing.jsonl, line 2: missing text field \"content\" (fields: text, category)");
        assertError(r, write("label.jsonl", ok, ok, "{\"content\": \"t\"}"),
                "label.jsonl, line 3: missing label field \"category\" (fields: content)");
        assertError(r, write("number.jsonl", "{\"content\": 12, \"category\": \"x\"}"),
                "number.jsonl, line 1: text field \"content\" must be a string, got number");
        assertError(r, write("nulllabel.jsonl", "{\"content\": \"t\", \"category\": null}"),
                "nulllabel.jsonl, line 1: label field \"category\" must be a string, got null");
        assertError(r, write("blanklabel.jsonl", "{\"content\": \"t\", \"category\": \" \"}"),
                "blanklabel.jsonl, line 1: blank label in field \"category\"");
        assertError(r, write("json.jsonl", ok, "{\"content\": \"t\", "), "json.jsonl, line 2: invalid JSON");
        assertError(r, write("array.jsonl", "[1, 2]"), "array.jsonl, line 1: expected a JSON object, got array");
        assertError(r, write("two.jsonl", ok + " " + ok), "two.jsonl, line 1: invalid JSON");
        assertError(new LabelledTextReader(null, List.of("content"), "category", LabelledTextReader.EmptyText.ERROR),
                write("empty.jsonl", ok, "{\"content\": \"\", \"category\": \"x\"}"),
                "empty.jsonl, line 2: empty text in field content, expected a non-blank text");
        assertError(r, write("notab.tsv", "문장\tx", "탭이 없는 줄"), "notab.tsv, line 2: expected `text<TAB>label`, found no tab");
        assertError(r, write("nolabel.tsv", "문장\t "), "nolabel.tsv, line 1: expected `text<TAB>label`, the label after");
    }

    private static void assertError(LabelledTextReader r, Path file, String message) {
        assertThatThrownBy(() -> r.read(List.of(file))).isInstanceOf(CorpusException.class)
                .hasMessageContaining(message).hasMessageContaining(file.toString());
    }

    @Test
    void tsvLinesSplitAtTheLastTab() throws IOException {
        Path f = write("data.tsv", "첫 문장\t정치", "탭\t있는 문장\t경제", "", "\t교육");
        LabelledTextReader.Corpus c = LabelledTextReader.defaults().read(List.of(f));
        assertThat(c.documents()).extracting(LabelledText::text).containsExactly("첫 문장", "탭\t있는 문장");
        assertThat(c.documents()).extracting(LabelledText::label).containsExactly("정치", "경제");
        assertThat(c.skippedEmpty()).containsExactly("data.tsv:4");
        assertThat(LabelledTextReader.Format.of(f)).isEqualTo(LabelledTextReader.Format.TSV);
    }
}
