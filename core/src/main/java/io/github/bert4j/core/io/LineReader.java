package io.github.bert4j.core.io;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads text line by line, counting lines, for the corpus and data readers. From a file, lines are
 * split on the raw bytes and each line is decoded on its own with a strict UTF-8 decoder, so
 * invalid UTF-8 is reported with the true line number and byte offset ({@link MalformedLine});
 * a {@code Reader} that decodes ahead in blocks cannot tell which line a bad byte was on. Line
 * ends are {@code \n}, {@code \r\n} and {@code \r}; a UTF-8 byte order mark before the first line
 * is dropped.
 */
public final class LineReader implements Closeable {

    /** Invalid UTF-8 in a line: 1-based {@link #line()}, 0-based {@link #byteOffset()} of the bad sequence in the file. */
    public static final class MalformedLine extends IOException {
        private static final long serialVersionUID = 1L;
        private final long line;
        private final long byteOffset;

        MalformedLine(long line, long byteOffset, int badByte) {
            super(String.format("invalid UTF-8 on line %d: byte 0x%02x at byte offset %d", line, badByte & 0xff, byteOffset));
            this.line = line;
            this.byteOffset = byteOffset;
        }

        public long line() {
            return line;
        }

        public long byteOffset() {
            return byteOffset;
        }

        /** What is wrong, without the line number (for messages that name the line themselves). */
        public String problem() {
            String m = getMessage();
            return "invalid UTF-8:" + m.substring(m.indexOf(':') + 1);
        }
    }

    private final InputStream in;
    private final BufferedReader chars;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private long bufStart; // file offset of buf[0]
    private boolean skipLf;
    private byte[] line = new byte[256];
    private long lineNo;

    private LineReader(InputStream in, BufferedReader chars) {
        this.in = in;
        this.chars = chars;
    }

    /** Opens {@code file} (decompressing it if its name ends in {@code .gz}; offsets are then in the decompressed bytes). */
    public static LineReader open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            raw = new GZIPInputStream(raw, 1 << 16);
        }
        return new LineReader(raw, null);
    }

    /** Reads decoded text (no byte offsets: decoding errors are the reader's own). */
    public static LineReader of(Reader reader) {
        return new LineReader(null, reader instanceof BufferedReader b ? b : new BufferedReader(reader));
    }

    /** The number of the line last returned (1-based; 0 before the first). */
    public long lineNumber() {
        return lineNo;
    }

    /**
     * The next line without its terminator, or null at the end.
     *
     * @throws MalformedLine if the line is not valid UTF-8
     */
    public String readLine() throws IOException {
        String s = chars != null ? chars.readLine() : readBytesLine();
        if (s == null) return null;
        lineNo++;
        if (lineNo == 1 && !s.isEmpty() && s.charAt(0) == '\uFEFF') s = s.substring(1);
        return s;
    }

    private String readBytesLine() throws IOException {
        int len = 0;
        long lineStart = -1;
        while (true) {
            if (pos == limit) {
                bufStart += limit;
                pos = 0;
                limit = Math.max(0, in.read(buf));
                if (limit == 0) {
                    return lineStart < 0 ? null : decode(len, lineStart);
                }
            }
            if (skipLf) {
                skipLf = false;
                if (buf[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            if (lineStart < 0) lineStart = bufStart + pos;
            int i = pos;
            while (i < limit && buf[i] != '\n' && buf[i] != '\r') i++;
            int n = i - pos;
            if (len + n > line.length) line = Arrays.copyOf(line, Math.max(line.length * 2, len + n));
            System.arraycopy(buf, pos, line, len, n);
            len += n;
            pos = i;
            if (i < limit) {
                skipLf = buf[i] == '\r';
                pos++;
                return decode(len, lineStart);
            }
        }
    }

    private String decode(int len, long lineStart) throws IOException {
        boolean ascii = true;
        for (int i = 0; i < len && ascii; i++) ascii = line[i] >= 0;
        if (ascii) return new String(line, 0, len, StandardCharsets.ISO_8859_1);
        ByteBuffer bytes = ByteBuffer.wrap(line, 0, len);
        CharBuffer out = CharBuffer.allocate(len);
        decoder.reset();
        CoderResult r = decoder.decode(bytes, out, true);
        if (!r.isError()) r = decoder.flush(out);
        if (r.isError()) {
            throw new MalformedLine(lineNo + 1, lineStart + bytes.position(), line[bytes.position()]);
        }
        return out.flip().toString();
    }

    @Override
    public void close() throws IOException {
        if (chars != null) chars.close();
        else in.close();
    }
}
