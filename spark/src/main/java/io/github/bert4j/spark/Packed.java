package io.github.bert4j.spark;

import java.io.Serializable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An ND4J array as plain Java data, for Spark to ship (ND4J arrays live off-heap and do not
 * serialize with Java serialization): shape, data type and the values in C order, as {@code int}s
 * for integer types and as {@code float}s or {@code double}s for floating point.
 */
record Packed(long[] shape, String dtype, int[] ints, float[] floats, double[] doubles) implements Serializable {

    static Packed of(INDArray a) {
        DataType t = a.dataType();
        INDArray c = a.dup('c');
        long[] shape = a.shape();
        if (t == DataType.DOUBLE) {
            return new Packed(shape, t.name(), null, null, c.data().asDouble());
        }
        if (t.isFPType()) {
            return new Packed(shape, t.name(), null, c.castTo(DataType.FLOAT).data().asFloat(), null);
        }
        return new Packed(shape, t.name(), c.castTo(DataType.INT).data().asInt(), null, null);
    }

    INDArray unpack() {
        DataType t = DataType.valueOf(dtype);
        INDArray a = doubles != null ? Nd4j.create(doubles, shape, 'c')
                : floats != null ? Nd4j.create(floats, shape, 'c')
                : Nd4j.createFromArray(ints).reshape('c', shape);
        return a.dataType() == t ? a : a.castTo(t);
    }
}
