package io.github.bert4j.ner.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bert4j.core.testing.TestData;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KlueNerIoTest {

    @TempDir
    Path tmp;

    static List<NerSentence> read(String content) {
        try (KlueNerReader r = KlueNerReader.of(new StringReader(content), Path.of("mem.tsv"), TagSet.klue())) {
            List<NerSentence> out = new ArrayList<>();
            r.forEachRemaining(out::add);
            return out;
        }
    }

    @Test
    void invalidUtf8IsReportedAtItsTrueLineAndByteOffset() throws IOException {
        // KLUE files are one character per line: a block-decoding reader reported line 6003 at 5504
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            lines.add("## klue-ner-v1.1_dev_" + i + "\t이순신은 장군");
            lines.add("이\tB-PS");
            lines.add("순\tI-PS");
            lines.add("");
        }
        byte[] head = String.join("\n", lines.subList(0, 6002)).concat("\n").getBytes(StandardCharsets.UTF_8);
        byte[] bad = "신\tI-PS\n".getBytes(StandardCharsets.UTF_8);
        bad[1] = (byte) 0x41; // '신' is 3 bytes; its 2nd byte replaced by 'A': a truncated sequence at byte 0
        byte[] tail = String.join("\n", lines.subList(6003, lines.size())).concat("\n").getBytes(StandardCharsets.UTF_8);
        Path f = tmp.resolve("bad.tsv");
        try (java.io.OutputStream out = Files.newOutputStream(f)) {
            out.write(head);
            out.write(bad);
            out.write(tail);
        }
        assertThatThrownBy(() -> KlueNerReader.readAll(f)).isInstanceOf(NerDataException.class)
                .hasMessage(f + ":6003: invalid UTF-8: byte 0xec at byte offset " + head.length)
                .satisfies(e -> assertThat(((NerDataException) e).line()).isEqualTo(6003));
    }

    @Test
    void readsTheDevFileAndWritesItBackByteForByte() throws IOException {
        Path dev = TestData.klueNerDev();
        List<String> header;
        List<NerSentence> sentences = new ArrayList<>();
        try (KlueNerReader r = KlueNerReader.open(dev)) {
            header = r.header();
            r.forEachRemaining(sentences::add);
        }
        assertThat(header).hasSize(5).allMatch(l -> l.startsWith("## "));
        assertThat(header.get(4)).isEqualTo("## 컬럼명 : CHAR\tNE_TAG");
        assertThat(sentences).hasSize(4000);
        NerSentence first = sentences.get(0);
        assertThat(first.id()).isEqualTo("klue-ner-v1_dev_00000-wikitree");
        assertThat(first.text()).startsWith("경찰은 또 성매매 알선 자금을 관리한 박씨의 딸(32)과");
        assertThat(first.charTags().subList(0, 4)).containsExactly("B-OG", "I-OG", "O", "O");
        // the annotated line agrees with the tags, for every sentence
        for (NerSentence s : sentences) {
            assertThat(new NerSentence(s.id(), s.text(), s.charTags()).annotatedOrDerived()).as(s.id()).isEqualTo(s.annotated());
        }
        Path out = tmp.resolve("roundtrip.tsv");
        KlueNerWriter.write(out, header, sentences);
        assertThat(Files.mismatch(dev, out)).isEqualTo(-1L);
    }

    @Test
    void streamsLazily() throws IOException {
        try (Stream<NerSentence> s = KlueNerReader.stream(TestData.klueNerDev(), TagSet.klue())) {
            assertThat(s.limit(3).map(NerSentence::id)).containsExactly("klue-ner-v1_dev_00000-wikitree",
                    "klue-ner-v1_dev_00001-wikitree", "klue-ner-v1_dev_00002-wikitree");
        }
    }

    @Test
    void toleratesBomCrlfAndTrailingBlankLines() {
        String doc = "\uFEFF## header\r\n## s1\t<가:PS> 나\r\n가\tB-PS\r\n \tO\r\n나\tO\r\n\r\n## s2\t다\r\n다\tO\r\n\r\n\r\n";
        List<NerSentence> s = read(doc);
        assertThat(s).hasSize(2);
        assertThat(s.get(0).id()).isEqualTo("s1");
        assertThat(s.get(0).text()).isEqualTo("가 나");
        assertThat(s.get(0).charTags()).containsExactly("B-PS", "O", "O");
        assertThat(s.get(0).annotated()).isEqualTo("<가:PS> 나");
        assertThat(s.get(1).text()).isEqualTo("다");
    }

    @Test
    void headerIsTheCommentRunBeforeTheFirstSentence() {
        try (KlueNerReader r = KlueNerReader.of(new StringReader("## a\n## b\n## id0\tx\nx\tO\n"), null, TagSet.klue())) {
            assertThat(r.header()).containsExactly("## a", "## b");
            assertThat(r.next().id()).isEqualTo("id0");
            assertThat(r.hasNext()).isFalse();
        }
    }

    @Test
    void sentencesWithoutIdLinesGetGeneratedIds() {
        List<NerSentence> s = read("가\tO\n\n나\tB-LC\n");
        assertThat(s).extracting(NerSentence::id).containsExactly("sentence-0", "sentence-1");
        assertThat(s.get(1).annotatedOrDerived()).isEqualTo("<나:LC>");
    }

    @Test
    void malformedLinesNameFileLineAndContent() {
        assertThatThrownBy(() -> read("## id\tab\na\tO\nb O\n"))
                .isInstanceOf(NerDataException.class)
                .hasMessageContaining("mem.tsv:3")
                .hasMessageContaining("\"b O\"")
                .satisfies(e -> assertThat(((NerDataException) e).line()).isEqualTo(3));
        assertThatThrownBy(() -> read("## id\ta\na\tB-XX\n"))
                .hasMessageContaining("mem.tsv:2").hasMessageContaining("unknown tag 'B-XX'");
        assertThatThrownBy(() -> read("## id\tab\nab\tO\n"))
                .hasMessageContaining("mem.tsv:2").hasMessageContaining("exactly one character");
        assertThatThrownBy(() -> read("## id\ta\na\tO\textra\n"))
                .hasMessageContaining("mem.tsv:2").hasMessageContaining("expected 2 columns <character><TAB><tag>, got 3")
                .hasMessageNotContaining("exactly one character");
        assertThatThrownBy(() -> read("## id\ta\na\tO\n\n## lonely\n\n## id2\tb\nb\tO\n"))
                .hasMessageContaining("mem.tsv:4").hasMessageContaining("without characters");
    }

    @Test
    void customLabelSetsAreEnforced() {
        TagSet tags = TagSet.ofTypes(List.of("PER"));
        try (KlueNerReader r = KlueNerReader.of(new StringReader("a\tB-PER\nb\tI-PER\n"), null, tags)) {
            assertThat(r.next().charTags()).containsExactly("B-PER", "I-PER");
        }
        assertThatThrownBy(() -> TagSet.of(List.of("B-PS", "O"))).hasMessageContaining("needs both B-PS and I-PS");
        assertThatThrownBy(() -> TagSet.of(List.of("B-PS", "I-PS"))).hasMessageContaining("no 'O'");
    }

    @Test
    void writerDerivesAnnotationAndHandlesSupplementaryCharacters() throws IOException {
        String text = "𝒜 김";
        NerSentence s = new NerSentence("x", text, List.of("O", "O", "B-PS"));
        Path out = tmp.resolve("w.tsv");
        KlueNerWriter.write(out, List.of(), List.of(s, s));
        String written = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(written).isEqualTo("## x\t𝒜 <김:PS>\n𝒜\tO\n \tO\n김\tB-PS\n\n## x\t𝒜 <김:PS>\n𝒜\tO\n \tO\n김\tB-PS\n");
        assertThat(KlueNerReader.readAll(out)).hasSize(2).first().satisfies(r -> {
            assertThat(r.text()).isEqualTo(text);
            assertThat(r.charTags()).containsExactly("O", "O", "B-PS");
        });
    }

    @Test
    void splitsByIndexDeterministically() throws IOException {
        List<NerSentence> all = KlueNerReader.readAll(TestData.klueNerDev());
        NerSplits.Split<NerSentence> split = NerSplits.everyFifth(all);
        assertThat(split.train()).hasSize(3200);
        assertThat(split.test()).hasSize(800);
        assertThat(split.test().get(0)).isSameAs(all.get(4));
        assertThat(split.test().get(1)).isSameAs(all.get(9));
        assertThat(split.train().subList(0, 4)).containsExactlyElementsOf(all.subList(0, 4));
        assertThatThrownBy(() -> NerSplits.byIndex(all, 5, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
