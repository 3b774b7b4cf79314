package io.github.bert4j.core.io;

import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The safetensors element types bert4j reads and writes, with their ND4J counterparts. Every one
 * has the same little-endian bit layout in the file as in ND4J's buffers (ND4J {@code BOOL} is one
 * byte, 0 or 1), so tensors are copied byte for byte.
 */
public enum Dtype {
    F64(DataType.DOUBLE, 8),
    F32(DataType.FLOAT, 4),
    F16(DataType.FLOAT16, 2),
    BF16(DataType.BFLOAT16, 2),
    I64(DataType.INT64, 8),
    I32(DataType.INT32, 4),
    I16(DataType.INT16, 2),
    I8(DataType.INT8, 1),
    U64(DataType.UINT64, 8),
    U32(DataType.UINT32, 4),
    U16(DataType.UINT16, 2),
    U8(DataType.UINT8, 1),
    BOOL(DataType.BOOL, 1);

    private final DataType nd4j;
    private final int bytes;

    Dtype(DataType nd4j, int bytes) {
        this.nd4j = nd4j;
        this.bytes = bytes;
    }

    /** The ND4J data type holding this element type. */
    public DataType nd4j() {
        return nd4j;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The safetensors type of an ND4J type, if it has one. */
    public static Optional<Dtype> of(DataType type) {
        for (Dtype d : values()) {
            if (d.nd4j == type) return Optional.of(d);
        }
        return Optional.empty();
    }

    /** The type with the safetensors name {@code name} ("F32", ...), if bert4j supports it. */
    public static Optional<Dtype> parse(String name) {
        for (Dtype d : values()) {
            if (d.name().equals(name)) return Optional.of(d);
        }
        return Optional.empty();
    }
}
