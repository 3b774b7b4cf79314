package io.github.bert4j.core.io;

import io.github.bert4j.core.io.SafeTensorsHeader.TensorInfo;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reader and writer of the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format, HuggingFace's checkpoint format: an 8-byte little-endian unsigned header length {@code
 * N}, {@code N} bytes of UTF-8 JSON (padded with spaces to a multiple of 8, see {@link
 * SafeTensorsHeader}), then the tensors' raw little-endian row-major bytes, back to back.
 *
 * <p>Reading validates the whole header against the file size before any tensor is created, so a
 * truncated or corrupted file fails with a {@link SafeTensorsException} naming the file and the
 * problem instead of giving a half-loaded model. Bytes move between the file and ND4J's native
 * buffers through {@link FileChannel}s, without Java arrays. One tensor may hold up to 2 GiB
 * (ND4J's NIO view of a buffer is int-indexed); the file as a whole has no such limit.
 */
public final class SafeTensors {
    /** Upper bound on the header size, as in the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private SafeTensors() {}

    /**
     * Writes {@code tensors} (row-major; views are copied) and string {@code metadata} to {@code
     * file} atomically. Tensors are laid out by decreasing element size (keeping map order among
     * equal sizes) so that every tensor is aligned to its element size.
     *
     * @throws SafeTensorsException if a tensor's data type has no safetensors counterpart
     */
    public static void write(Path file, Map<String, INDArray> tensors, Map<String, String> metadata)
            throws IOException {
        checkLittleEndian();
        List<Map.Entry<String, INDArray>> order = new ArrayList<>(tensors.entrySet());
        order.sort(Comparator.comparingInt(e -> -dtypeOf(file, e.getKey(), e.getValue()).bytes()));
        Map<String, TensorInfo> infos = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, INDArray> e : order) {
            Dtype dt = dtypeOf(file, e.getKey(), e.getValue());
            long bytes = Math.multiplyExact(e.getValue().length(), (long) dt.bytes());
            infos.put(e.getKey(), new TensorInfo(e.getKey(), dt, e.getValue().shape(), offset, offset + bytes));
            offset += bytes;
        }
        byte[] header = new SafeTensorsHeader(infos, metadata).toBytes();
        AtomicFiles.writeChannel(file, ch -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            writeFully(ch, len);
            writeFully(ch, ByteBuffer.wrap(header));
            for (Map.Entry<String, INDArray> e : order) writeFully(ch, bytesOf(e.getValue()));
        });
    }

    /** Writes {@code tensors} without metadata. */
    public static void write(Path file, Map<String, INDArray> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Reads every tensor of {@code file}, in data-offset order. Arrays are new, row-major, of the
     * ND4J type matching the file's dtype ({@link Dtype}).
     *
     * @throws SafeTensorsException if the file is truncated, corrupted or not safetensors
     */
    public static LinkedHashMap<String, INDArray> read(Path file) throws IOException {
        checkLittleEndian();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            SafeTensorsHeader header = readHeader(ch, file);
            long dataStart = ch.position();
            LinkedHashMap<String, INDArray> out = new LinkedHashMap<>();
            for (TensorInfo t : header.tensors().values()) {
                out.put(t.name(), readTensor(ch, dataStart, t, file));
            }
            return out;
        }
    }

    /** Reads and validates only the header (names, dtypes, shapes, metadata) of {@code file}. */
    public static SafeTensorsHeader readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(ch, file);
        }
    }

    /** Reads the header, checks it against the file size and leaves the channel at the data. */
    private static SafeTensorsHeader readHeader(FileChannel ch, Path file) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new SafeTensorsException(file, "file has " + size + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0, file);
        long n = lenBuf.getLong(0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new SafeTensorsException(file, "header length " + Long.toUnsignedString(n)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes (not a safetensors file?)");
        }
        if (n < 2 || 8 + n > size) {
            throw new SafeTensorsException(file, "header length " + n + " does not fit in the file of "
                    + size + " bytes (truncated?)");
        }
        ByteBuffer headerBuf = ByteBuffer.allocate((int) n);
        readFully(ch, headerBuf, 8, file);
        SafeTensorsHeader header = SafeTensorsHeader.parse(decodeUtf8(headerBuf.flip(), file), file);
        long expected = 8 + n + header.dataLength();
        if (expected != size) {
            String why = expected > size ? "truncated" : "trailing bytes";
            throw new SafeTensorsException(file, "file has " + size + " bytes but its header describes "
                    + expected + " (" + why + ")");
        }
        ch.position(8 + n);
        return header;
    }

    private static INDArray readTensor(FileChannel ch, long dataStart, TensorInfo t, Path file) throws IOException {
        INDArray arr = Nd4j.createUninitialized(t.dtype().nd4j(), t.shape(), 'c');
        if (t.byteLength() == 0) return arr;
        if (t.byteLength() > Integer.MAX_VALUE) {
            throw new SafeTensorsException(file, "tensor '" + t.name() + "' has " + t.byteLength()
                    + " bytes; tensors over 2 GiB are not supported");
        }
        ByteBuffer dst = arr.data().asNio().order(ByteOrder.LITTLE_ENDIAN);
        dst.limit((int) t.byteLength()).position(0);
        readFully(ch, dst, dataStart + t.begin(), file);
        return arr;
    }

    /** The bytes of {@code arr} in row-major order (a copy only if it is a view or not row-major). */
    private static ByteBuffer bytesOf(INDArray arr) {
        if (arr.length() == 0) return ByteBuffer.allocate(0);
        INDArray c = arr;
        if (arr.isView() || arr.ordering() != 'c' || arr.data().length() != arr.length()) c = arr.dup('c');
        int width = c.dataType().width();
        ByteBuffer bb = c.data().asNio().duplicate();
        bb.limit(Math.toIntExact(c.length() * width)).position(0);
        return bb;
    }

    private static Dtype dtypeOf(Path file, String name, INDArray arr) {
        return Dtype.of(arr.dataType()).orElseThrow(() -> new SafeTensorsException(file,
                "tensor '" + name + "' has data type " + arr.dataType() + " which safetensors cannot store"));
    }

    private static String decodeUtf8(ByteBuffer bytes, Path file) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SafeTensorsException(file, "header is not valid UTF-8", e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position, Path file) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) throw new SafeTensorsException(file, "unexpected end of file at byte " + pos, new EOFException());
            pos += n;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) ch.write(src);
    }

    private static void checkLittleEndian() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("safetensors I/O assumes a little-endian platform");
        }
    }
}
