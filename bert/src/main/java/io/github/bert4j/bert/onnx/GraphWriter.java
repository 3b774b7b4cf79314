package io.github.bert4j.bert.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import onnx.Onnx;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;

/**
 * A small builder of one ONNX graph: nodes get unique names and outputs, constants and weights
 * become initializers. Only what {@link OnnxExport} needs.
 */
final class GraphWriter {
    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder();
    private final java.util.Set<String> initializers = new java.util.HashSet<>();
    private int counter;

    GraphWriter(String name) {
        graph.setName(name);
    }

    Onnx.GraphProto.Builder graph() {
        return graph;
    }

    /** A node with one output, named after {@code scope}; returns the output's name. */
    String op(String opType, String scope, List<String> inputs, Onnx.AttributeProto... attributes) {
        String name = scope + "/" + opType + "_" + (counter++);
        String out = name + ":0";
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(opType).setName(name).addOutput(out);
        inputs.forEach(n::addInput);
        for (Onnx.AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return out;
    }

    /** A node whose single output is {@code output} (a graph output). */
    void opTo(String output, String opType, String scope, List<String> inputs, Onnx.AttributeProto... attributes) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(opType)
                .setName(scope + "/" + opType + "_" + (counter++)).addOutput(output);
        inputs.forEach(n::addInput);
        for (Onnx.AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
    }

    /** A float32 initializer holding {@code a} (any float type, cast), under {@code name}; returns the name. */
    String weight(String name, INDArray a) {
        if (!initializers.add(name)) {
            throw new IllegalStateException("initializer " + name + " written twice");
        }
        INDArray f = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
        float[] data = f.dup('c').data().asFloat();
        ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(buf.array()));
        for (long d : a.shape()) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /** A float32 scalar constant initializer (written once; later calls with the same name reuse it). */
    String scalar(String name, float value) {
        if (!initializers.add(name)) {
            return name;
        }
        ByteBuffer buf = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value);
        graph.addInitializer(Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(buf.array())));
        return name;
    }

    /** An int64 constant initializer, a scalar when {@code scalar}, else a vector (written once per name). */
    String int64(String name, boolean scalar, long... values) {
        if (!initializers.add(name)) {
            return name;
        }
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            buf.putLong(v);
        }
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.INT64.getNumber()).setRawData(ByteString.copyFrom(buf.array()));
        if (!scalar) {
            t.addDims(values.length);
        }
        graph.addInitializer(t);
        return name;
    }

    static Onnx.AttributeProto ints(String name, long... values) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name)
                .setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static Onnx.AttributeProto intAttr(String name, long value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT)
                .setI(value).build();
    }

    static Onnx.AttributeProto floatAttr(String name, float value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT)
                .setF(value).build();
    }

    /** A graph input or output of element type {@code elemType} with named (dynamic) or fixed dims. */
    static Onnx.ValueInfoProto value(String name, Onnx.TensorProto.DataType elemType, Object... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            Onnx.TensorShapeProto.Dimension.Builder dim = Onnx.TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) {
                dim.setDimParam(s);
            } else {
                dim.setDimValue(((Number) d).longValue());
            }
            shape.addDim(dim);
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(elemType.getNumber()).setShape(shape)))
                .build();
    }
}
