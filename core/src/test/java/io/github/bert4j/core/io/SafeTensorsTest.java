package io.github.bert4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class SafeTensorsTest {
    @TempDir
    Path dir;

    /** A file assembled by hand from the format description, independent of our writer. */
    private static byte[] handMade(String json, byte[] data) {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bb = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.putLong(header.length).put(header).put(data);
        return bb.array();
    }

    private static byte[] le(float... values) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) bb.putFloat(v);
        return bb.array();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void readsHandMadeFile() throws IOException {
        byte[] data = new byte[16 + 8 + 2];
        System.arraycopy(le(1f, -2.5f, 3f, 0.125f), 0, data, 0, 16);
        ByteBuffer.wrap(data, 16, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(-7L);
        data[24] = 1;
        data[25] = 0;
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"b\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[16,24]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                + "\"m\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[24,26]}}  ";
        Path f = file("hand.safetensors", handMade(json, data));

        Map<String, INDArray> t = SafeTensors.read(f);

        assertThat(t.keySet()).containsExactly("a", "b", "m"); // data-offset order
        assertThat(t.get("a").dataType()).isEqualTo(DataType.FLOAT);
        assertThat(t.get("a").shape()).containsExactly(2, 2);
        assertThat(t.get("a").reshape(4).toFloatVector()).containsExactly(1f, -2.5f, 3f, 0.125f);
        assertThat(t.get("a").getFloat(1, 0)).isEqualTo(3f); // row-major
        assertThat(t.get("b").toLongVector()).containsExactly(-7L);
        assertThat(t.get("m").dataType()).isEqualTo(DataType.BOOL);
        assertThat(t.get("m").getDouble(0)).isEqualTo(1.0);
        assertThat(t.get("m").getDouble(1)).isEqualTo(0.0);
        assertThat(SafeTensors.readHeader(f).metadata()).containsEntry("format", "pt");
    }

    @Test
    void writesTheDocumentedLayout() throws IOException {
        Path f = dir.resolve("w.safetensors");
        Map<String, INDArray> t = new LinkedHashMap<>();
        t.put("x", Nd4j.createFromArray(1f, -2.5f, 3f).reshape(3));
        t.put("y", Nd4j.createFromArray(new double[] {0.5}).reshape(1, 1));
        SafeTensors.write(f, t, Map.of("step", "7"));

        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(n % 8).isZero();
        assertThat(8 + n + 8 + 12).isEqualTo(bytes.length);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertThat(header).startsWith("{\"__metadata__\":{\"step\":\"7\"}");
        // F64 first (alignment), then F32
        assertThat(header.strip()).contains("\"y\":{\"dtype\":\"F64\",\"shape\":[1,1],\"data_offsets\":[0,8]}")
                .contains("\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[8,20]}");
        byte[] data = Arrays.copyOfRange(bytes, (int) (8 + n), bytes.length);
        assertThat(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getDouble(0)).isEqualTo(0.5);
        assertThat(Arrays.copyOfRange(data, 8, 20)).isEqualTo(le(1f, -2.5f, 3f));
    }

    @Test
    void roundTripIsBitExactForEveryDtype() throws IOException {
        Nd4j.getRandom().setSeed(7);
        INDArray base = Nd4j.rand(DataType.DOUBLE, 3, 5).subi(0.5).muli(300);
        Map<String, INDArray> t = new LinkedHashMap<>();
        for (Dtype d : Dtype.values()) t.put("t_" + d, base.castTo(d.nd4j()));
        t.put("scalar", Nd4j.scalar(3.25f));
        t.put("empty", Nd4j.create(DataType.FLOAT, 0, 4));
        t.put("nan_inf", Nd4j.createFromArray(Float.NaN, Float.POSITIVE_INFINITY, -0.0f, Float.MIN_VALUE));
        Path f = dir.resolve("all.safetensors");
        SafeTensors.write(f, t, Map.of());

        Map<String, INDArray> back = SafeTensors.read(f);

        assertThat(back.keySet()).containsExactlyInAnyOrderElementsOf(t.keySet());
        for (String k : t.keySet()) {
            assertThat(back.get(k).dataType()).as(k).isEqualTo(t.get(k).dataType());
            assertThat(back.get(k).shape()).as(k).isEqualTo(t.get(k).shape());
            assertThat(rawBytes(back.get(k))).as(k).isEqualTo(rawBytes(t.get(k)));
        }
    }

    @Test
    void theSameTensorsAndMetadataGiveTheSameBytesWhateverTheMapOrder() throws IOException {
        Map<String, INDArray> t = Map.of("w", Nd4j.createFromArray(1f, 2f));
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("format", "pt");
        ab.put("bert4j_model", "BertCrfTagger");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("bert4j_model", "BertCrfTagger");
        ba.put("format", "pt");
        SafeTensors.write(dir.resolve("ab.safetensors"), t, ab);
        SafeTensors.write(dir.resolve("ba.safetensors"), t, ba);
        assertThat(Files.readAllBytes(dir.resolve("ab.safetensors"))).isEqualTo(Files.readAllBytes(dir.resolve("ba.safetensors")));
        assertThat(SafeTensors.readHeader(dir.resolve("ba.safetensors")).metadata()).isEqualTo(ab);
    }

    @Test
    void writesViewsAndFortranOrderedArraysRowMajor() throws IOException {
        INDArray m = Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}});
        Map<String, INDArray> t = new LinkedHashMap<>();
        t.put("col", m.get(NDArrayIndex.all(), NDArrayIndex.point(1)));
        t.put("f", m.dup('f'));
        t.put("rows", m.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all()));
        Path f = dir.resolve("views.safetensors");
        SafeTensors.write(f, t, Map.of());
        Map<String, INDArray> back = SafeTensors.read(f);
        assertThat(back.get("col").toFloatVector()).containsExactly(2f, 5f);
        assertThat(back.get("f")).isEqualTo(m);
        assertThat(back.get("f").ordering()).isEqualTo('c');
        assertThat(back.get("rows").toFloatVector()).containsExactly(4f, 5f, 6f);
    }

    private static byte[] rawBytes(INDArray a) {
        if (a.length() == 0) return new byte[0];
        INDArray c = a.dup('c');
        ByteBuffer bb = c.data().asNio();
        byte[] out = new byte[(int) (c.length() * c.dataType().width())];
        bb.get(0, out);
        return out;
    }

    // ---- corrupted files -------------------------------------------------------------------

    private Path valid() throws IOException {
        Path f = dir.resolve("model.safetensors");
        Map<String, INDArray> t = new LinkedHashMap<>();
        t.put("w", Nd4j.rand(DataType.FLOAT, 4, 3));
        t.put("b", Nd4j.rand(DataType.FLOAT, 3));
        SafeTensors.write(f, t, Map.of());
        return f;
    }

    @Test
    void truncatedFileIsRejectedNamingTheFile() throws IOException {
        Path f = valid();
        byte[] bytes = Files.readAllBytes(f);
        for (int cut : List.of(bytes.length - 1, bytes.length - 20, 60, 9, 3, 0)) {
            Path t = file("cut" + cut + ".safetensors", Arrays.copyOf(bytes, cut));
            assertThatThrownBy(() -> SafeTensors.read(t))
                    .as("cut at %d", cut)
                    .isInstanceOf(SafeTensorsException.class)
                    .hasMessageStartingWith(t.toString())
                    .satisfies(e -> assertThat(((SafeTensorsException) e).file()).isEqualTo(t));
        }
        Path t = file("cut.safetensors", Arrays.copyOf(bytes, bytes.length - 4));
        assertThatThrownBy(() -> SafeTensors.read(t)).hasMessageContaining("truncated");
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        byte[] bytes = Files.readAllBytes(valid());
        Path t = file("long.safetensors", Arrays.copyOf(bytes, bytes.length + 4));
        assertThatThrownBy(() -> SafeTensors.read(t)).isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining("trailing bytes");
    }

    @Test
    void corruptedHeaderIsRejected() throws IOException {
        byte[] bytes = Files.readAllBytes(valid());
        bytes[9] = '#';
        Path t = file("bad.safetensors", bytes);
        assertThatThrownBy(() -> SafeTensors.read(t)).isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining("bad.safetensors").hasMessageContaining("not valid JSON");
    }

    @Test
    void hugeHeaderLengthIsRejected() throws IOException {
        byte[] bytes = Files.readAllBytes(valid());
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        Path t = file("huge.safetensors", bytes);
        assertThatThrownBy(() -> SafeTensors.read(t)).isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining("exceeds the limit");
    }

    @Test
    void inconsistentHeadersAreRejected() throws IOException {
        byte[] d = new byte[16];
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", "overlaps");
        cases.put("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", "gap");
        cases.put("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}", "needs 12 bytes");
        cases.put("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[16],\"data_offsets\":[0,16]}}", "unsupported dtype");
        cases.put("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", "Duplicate field");
        cases.put("{\"a\":{\"dtype\":\"F32\",\"shape\":[-4],\"data_offsets\":[0,16]}}", "negative");
        cases.put("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[16,0]}}", "end < begin");
        cases.put("{\"a\":{\"dtype\":\"F32\",\"shape\":[4]}}", "data_offsets");
        cases.put("{\"__metadata__\":{\"k\":1},\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}",
                "not a string");
        cases.put("[1,2]        ", "not a JSON object");
        cases.put("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}} x", "not valid JSON");
        int i = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path t = file("case" + i++ + ".safetensors", handMade(c.getKey(), d));
            assertThatThrownBy(() -> SafeTensors.read(t)).as(c.getKey())
                    .isInstanceOf(SafeTensorsException.class)
                    .hasMessageContaining(t.toString())
                    .hasMessageContaining(c.getValue());
        }
    }

    @Test
    void failedWriteKeepsThePreviousFileAndLeavesNoTemporaries() throws IOException {
        Path f = valid();
        byte[] before = Files.readAllBytes(f);
        Map<String, INDArray> bad = new LinkedHashMap<>();
        bad.put("ok", Nd4j.ones(DataType.FLOAT, 2));
        bad.put("utf8", Nd4j.create(DataType.UTF8, 1));
        assertThatThrownBy(() -> SafeTensors.write(f, bad, Map.of())).isInstanceOf(RuntimeException.class);
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("model.safetensors");
        }
    }
}
