package io.github.bert4j.core.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a safetensors file: one entry per tensor ({@code dtype}, {@code shape},
 * {@code data_offsets} relative to the start of the data section) plus optional string metadata
 * under {@code __metadata__}.
 *
 * <p>Invariants checked by {@link #parse}: the tensors, ordered by offset, tile the data section
 * exactly (the first starts at 0, each starts where the previous ended, no gaps or overlaps), and
 * each byte range has exactly {@code product(shape) * dtype.bytes()} bytes.
 *
 * @param tensors tensors by name, in data-offset order
 * @param metadata the {@code __metadata__} map (empty if absent)
 */
public record SafeTensorsHeader(Map<String, TensorInfo> tensors, Map<String, String> metadata) {
    static final String METADATA_KEY = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * One tensor's entry.
     *
     * @param begin first byte of the tensor in the data section
     * @param end one past its last byte
     */
    public record TensorInfo(String name, Dtype dtype, long[] shape, long begin, long end) {
        public TensorInfo {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        public long byteLength() {
            return end - begin;
        }

        @Override
        public String toString() {
            return name + " " + dtype + " " + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
        }
    }

    public SafeTensorsHeader {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Total bytes of the data section the header describes. */
    public long dataLength() {
        long end = 0;
        for (TensorInfo t : tensors.values()) end = Math.max(end, t.end());
        return end;
    }

    /**
     * The header bytes as written to a file: JSON padded with spaces to a multiple of 8. Metadata
     * keys are written in sorted order, so the same tensors and metadata give the same bytes
     * whatever the iteration order of the map they came in (e.g. {@code Map.of}, whose order
     * changes from JVM to JVM).
     */
    public byte[] toBytes() {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            new java.util.TreeMap<>(metadata).forEach(meta::put);
        }
        for (TensorInfo t : tensors.values()) {
            ObjectNode n = root.putObject(t.name());
            n.put("dtype", t.dtype().name());
            ArrayNode shape = n.putArray("shape");
            for (long d : t.shape()) shape.add(d);
            n.putArray("data_offsets").add(t.begin()).add(t.end());
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        byte[] padded = Arrays.copyOf(json, (json.length + 7) / 8 * 8);
        Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        return padded;
    }

    /**
     * Parses and validates a header.
     *
     * @param file named in error messages
     * @throws SafeTensorsException if the JSON is malformed or violates the format's invariants
     */
    public static SafeTensorsHeader parse(String json, Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SafeTensorsException(file, "header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafeTensorsException(file, "header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> infos = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(METADATA_KEY)) {
                metadata.putAll(parseMetadata(e.getValue(), file));
            } else {
                infos.add(parseTensor(e.getKey(), e.getValue(), file));
            }
        }
        infos.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        checkTiling(infos, file);
        Map<String, TensorInfo> byName = new LinkedHashMap<>();
        for (TensorInfo t : infos) byName.put(t.name(), t);
        return new SafeTensorsHeader(byName, metadata);
    }

    private static Map<String, String> parseMetadata(JsonNode node, Path file) {
        if (!node.isObject()) throw new SafeTensorsException(file, "__metadata__ is not a JSON object");
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw new SafeTensorsException(file, "__metadata__ value of '" + e.getKey() + "' is not a string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        });
        return out;
    }

    private static TensorInfo parseTensor(String name, JsonNode node, Path file) {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) throw new SafeTensorsException(file, where + " is not a JSON object");
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new SafeTensorsException(file, where + " has no string 'dtype'");
        }
        Dtype dtype = Dtype.parse(dtypeNode.textValue()).orElseThrow(() -> new SafeTensorsException(file,
                where + " has unsupported dtype '" + dtypeNode.textValue() + "' (supported: "
                        + Arrays.toString(Dtype.values()) + ")"));
        long[] shape = longs(node.get("shape"), -1, where + " 'shape'", file);
        long[] offsets = longs(node.get("data_offsets"), 2, where + " 'data_offsets'", file);
        if (node.size() != 3) {
            throw new SafeTensorsException(file, where + " has keys other than dtype, shape, data_offsets");
        }
        if (offsets[1] < offsets[0]) {
            throw new SafeTensorsException(file, where + " has data_offsets end < begin: " + Arrays.toString(offsets));
        }
        long expected = byteSize(shape, dtype, where, file);
        if (offsets[1] - offsets[0] != expected) {
            throw new SafeTensorsException(file, where + " needs " + expected + " bytes (" + dtype + " "
                    + Arrays.toString(shape) + ") but data_offsets give " + (offsets[1] - offsets[0]));
        }
        return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] longs(JsonNode node, int length, String what, Path file) {
        if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
            String len = length >= 0 ? " of " + length : "";
            throw new SafeTensorsException(file, what + " is not an array" + len + " of non-negative integers");
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.canConvertToExactIntegral() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new SafeTensorsException(file, what + " has a non-integer or negative entry " + v);
            }
            out[i] = v.longValue();
        }
        return out;
    }

    static long byteSize(long[] shape, Dtype dtype, String where, Path file) {
        try {
            long n = dtype.bytes();
            for (long d : shape) n = Math.multiplyExact(n, d);
            return n;
        } catch (ArithmeticException e) {
            throw new SafeTensorsException(file, where + " shape " + Arrays.toString(shape) + " overflows");
        }
    }

    private static void checkTiling(List<TensorInfo> sorted, Path file) {
        long expectedBegin = 0;
        for (TensorInfo t : sorted) {
            if (t.begin() != expectedBegin) {
                String problem = t.begin() < expectedBegin ? "overlaps the previous tensor" : "leaves a gap before it";
                throw new SafeTensorsException(file, "tensor '" + t.name() + "' starts at byte " + t.begin()
                        + " but the previous tensor ends at " + expectedBegin + " (" + problem + ")");
            }
            expectedBegin = t.end();
        }
    }
}
