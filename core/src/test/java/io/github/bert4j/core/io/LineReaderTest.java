package io.github.bert4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineReaderTest {
    @TempDir
    Path dir;

    @Test
    void splitsLinesAsBufferedReaderDoes() throws IOException {
        String text = "\uFEFF첫째\r\n둘째\n\n셋째\r넷째\r\n\r\n다섯째";
        Path f = dir.resolve("t.txt");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        List<String> expected = List.of("첫째", "둘째", "", "셋째", "넷째", "", "다섯째");
        assertThat(lines(LineReader.open(f))).isEqualTo(expected);
        assertThat(lines(LineReader.of(new StringReader(text)))).isEqualTo(expected);
        Files.writeString(f, "a\n", StandardCharsets.UTF_8);
        assertThat(lines(LineReader.open(f))).containsExactly("a");
        Files.writeString(f, "", StandardCharsets.UTF_8);
        assertThat(lines(LineReader.open(f))).isEmpty();
    }

    @Test
    void linesLongerThanTheBufferAndBadBytesAfterIt() throws IOException {
        String longLine = "가".repeat(50_000); // 150,000 bytes: spans three 64 KiB reads
        byte[] good = (longLine + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'o', 'k', (byte) 0xc3, '(', '\n'}; // 0xc3 needs a continuation byte
        Path f = dir.resolve("t.txt");
        byte[] all = new byte[good.length * 2 + bad.length];
        System.arraycopy(good, 0, all, 0, good.length);
        System.arraycopy(good, 0, all, good.length, good.length);
        System.arraycopy(bad, 0, all, 2 * good.length, bad.length);
        Files.write(f, all);
        try (LineReader r = LineReader.open(f)) {
            assertThat(r.readLine()).isEqualTo(longLine);
            assertThat(r.readLine()).isEqualTo(longLine);
            assertThat(r.lineNumber()).isEqualTo(2);
            assertThatThrownBy(r::readLine).isInstanceOf(LineReader.MalformedLine.class)
                    .hasMessage("invalid UTF-8 on line 3: byte 0xc3 at byte offset " + (2L * good.length + 2))
                    .satisfies(e -> assertThat(((LineReader.MalformedLine) e).line()).isEqualTo(3));
        }
    }

    private static List<String> lines(LineReader r) throws IOException {
        List<String> out = new ArrayList<>();
        try (r) {
            for (String l; (l = r.readLine()) != null; ) out.add(l);
        }
        return out;
    }
}
