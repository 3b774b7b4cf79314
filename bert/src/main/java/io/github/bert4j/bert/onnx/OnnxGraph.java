package io.github.bert4j.bert.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A read-only view of one ONNX graph for structural matching: who produces and who consumes each
 * value, initializers and constant values, and walks that look through shape-only ops.
 */
final class OnnxGraph {
    /** Ops that move or reinterpret a tensor without computing on it. */
    static final Set<String> PASS_THROUGH = Set.of("Identity", "Cast", "Reshape", "Transpose", "Squeeze",
            "Unsqueeze", "Dropout", "Flatten");

    final String source;
    final Onnx.GraphProto graph;
    final List<Onnx.NodeProto> nodes;
    final Map<String, Onnx.TensorProto> initializers = new HashMap<>();
    final Map<String, Integer> producer = new HashMap<>();
    final Map<String, List<Integer>> consumers = new HashMap<>();
    final Set<String> graphInputs = new java.util.LinkedHashSet<>();

    OnnxGraph(String source, Onnx.GraphProto graph) {
        this.source = source;
        this.graph = graph;
        this.nodes = graph.getNodeList();
        for (Onnx.TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        for (Onnx.ValueInfoProto v : graph.getInputList()) {
            if (!initializers.containsKey(v.getName())) {
                graphInputs.add(v.getName());
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            Onnx.NodeProto n = nodes.get(i);
            for (String out : n.getOutputList()) {
                producer.put(out, i);
            }
            for (String in : n.getInputList()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
            }
        }
    }

    Onnx.NodeProto node(int i) {
        return nodes.get(i);
    }

    /** The node that produces {@code value}, or null (graph input, initializer, or unknown). */
    Onnx.NodeProto producerOf(String value) {
        Integer i = producer.get(value);
        return i == null ? null : nodes.get(i);
    }

    List<Integer> consumersOf(String value) {
        return consumers.getOrDefault(value, List.of());
    }

    /** The initializer (or {@code Constant} node value) behind {@code value}, looking through Identity; or null. */
    Onnx.TensorProto constant(String value) {
        Onnx.TensorProto t = initializers.get(value);
        if (t != null) {
            return t;
        }
        Onnx.NodeProto p = producerOf(value);
        if (p == null) {
            return null;
        }
        if (p.getOpType().equals("Identity")) {
            return constant(p.getInput(0));
        }
        if (p.getOpType().equals("Constant")) {
            for (Onnx.AttributeProto a : p.getAttributeList()) {
                if (a.getName().equals("value")) {
                    return a.getT();
                }
            }
        }
        return null;
    }

    /** A weight tensor: the initializer behind {@code value}, seen through {@code Transpose} (perm [1,0]). */
    record Weight(String name, Onnx.TensorProto tensor, boolean transposed) {}

    Weight weight(String value) {
        Onnx.TensorProto t = constant(value);
        if (t != null) {
            return t.getDataType() == Onnx.TensorProto.DataType.INT64.getNumber() ? null : new Weight(t.getName(), t, false);
        }
        Onnx.NodeProto p = producerOf(value);
        if (p != null && p.getOpType().equals("Transpose")) {
            Onnx.TensorProto inner = constant(p.getInput(0));
            if (inner != null && inner.getDimsCount() == 2) {
                return new Weight(inner.getName(), inner, true);
            }
        }
        return null;
    }

    /** Whether {@code value} is computed from {@code target} through pass-through ops only. */
    boolean derivesFrom(String value, String target, int depth) {
        if (value.equals(target)) {
            return true;
        }
        Onnx.NodeProto p = producerOf(value);
        if (p == null || depth == 0 || !PASS_THROUGH.contains(p.getOpType())) {
            return false;
        }
        return derivesFrom(p.getInput(0), target, depth - 1);
    }

    String attrString(Onnx.NodeProto n, String name, String dflt) {
        for (Onnx.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getS().toStringUtf8();
            }
        }
        return dflt;
    }

    long attrInt(Onnx.NodeProto n, String name, long dflt) {
        for (Onnx.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return dflt;
    }

    float attrFloat(Onnx.NodeProto n, String name, float dflt) {
        for (Onnx.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getF();
            }
        }
        return dflt;
    }

    /** Dims of a tensor. */
    static long[] dims(Onnx.TensorProto t) {
        long[] d = new long[t.getDimsCount()];
        for (int i = 0; i < d.length; i++) {
            d[i] = t.getDims(i);
        }
        return d;
    }

    /** A float tensor as a float32 INDArray of its ONNX shape (float32 and float64 storage; raw or typed fields). */
    INDArray floats(Onnx.TensorProto t) {
        if (t.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL) {
            throw new OnnxFormatException(source + ": initializer " + t.getName()
                    + " is stored as external data; re-export the model as a single file");
        }
        long[] shape = dims(t);
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] data = new float[Math.toIntExact(n)];
        int type = t.getDataType();
        if (type == Onnx.TensorProto.DataType.FLOAT.getNumber()) {
            if (!t.getRawData().isEmpty()) {
                checkSize(t, t.getRawData().size(), n * 4);
                t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            } else {
                checkSize(t, t.getFloatDataCount(), n);
                for (int i = 0; i < data.length; i++) {
                    data[i] = t.getFloatData(i);
                }
            }
        } else if (type == Onnx.TensorProto.DataType.DOUBLE.getNumber()) {
            if (!t.getRawData().isEmpty()) {
                checkSize(t, t.getRawData().size(), n * 8);
                java.nio.DoubleBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) b.get(i);
                }
            } else {
                checkSize(t, t.getDoubleDataCount(), n);
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) t.getDoubleData(i);
                }
            }
        } else {
            throw new OnnxFormatException(source + ": initializer " + t.getName() + " has element type "
                    + Onnx.TensorProto.DataType.forNumber(type) + "; only FLOAT and DOUBLE weights are supported "
                    + "(convert a float16 or quantized model back to float32 first)");
        }
        return shape.length == 0 ? Nd4j.scalar(data[0]) : Nd4j.create(data, shape, DataType.FLOAT);
    }

    /** The values of an integer or float constant as doubles. */
    double[] values(Onnx.TensorProto t) {
        int type = t.getDataType();
        if (type == Onnx.TensorProto.DataType.INT64.getNumber()) {
            if (!t.getRawData().isEmpty()) {
                ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                double[] v = new double[t.getRawData().size() / 8];
                for (int i = 0; i < v.length; i++) {
                    v[i] = b.getLong(i * 8);
                }
                return v;
            }
            return t.getInt64DataList().stream().mapToDouble(Long::doubleValue).toArray();
        }
        if (type == Onnx.TensorProto.DataType.INT32.getNumber()) {
            if (!t.getRawData().isEmpty()) {
                ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                double[] v = new double[t.getRawData().size() / 4];
                for (int i = 0; i < v.length; i++) {
                    v[i] = b.getInt(i * 4);
                }
                return v;
            }
            return t.getInt32DataList().stream().mapToDouble(Integer::doubleValue).toArray();
        }
        INDArray a = floats(t);
        return a.castTo(DataType.DOUBLE).data().asDouble();
    }

    private void checkSize(Onnx.TensorProto t, long have, long want) {
        if (have != want) {
            throw new OnnxFormatException(source + ": initializer " + t.getName() + " holds " + have
                    + " elements/bytes, its dims " + java.util.Arrays.toString(dims(t)) + " need " + want
                    + " (a truncated or corrupt file?)");
        }
    }

    /** Evaluates a small int64 shape vector: constants, and Concat of constants/unknowns (null entries). */
    Long[] shapeVector(String value) {
        Onnx.TensorProto t = constant(value);
        if (t != null) {
            double[] v = values(t);
            Long[] out = new Long[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = (long) v[i];
            }
            return out;
        }
        Onnx.NodeProto p = producerOf(value);
        if (p == null) {
            return null;
        }
        if (p.getOpType().equals("Cast") || p.getOpType().equals("Identity")) {
            return shapeVector(p.getInput(0));
        }
        if (p.getOpType().equals("Concat")) {
            List<Long> out = new ArrayList<>();
            for (String in : p.getInputList()) {
                Long[] part = shapeVector(in);
                if (part == null) {
                    out.add(null);          // a dynamic part: assume one element (Unsqueeze of a scalar)
                } else {
                    out.addAll(java.util.Arrays.asList(part));
                }
            }
            return out.toArray(new Long[0]);
        }
        return null;
    }
}
