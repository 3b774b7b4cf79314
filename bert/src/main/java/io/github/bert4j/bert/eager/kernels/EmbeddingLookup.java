package io.github.bert4j.bert.eager.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Embedding lookup and its gradient, computed eagerly with ND4J outside the SameDiff graph
 * (SameDiff 1.0.0-M2.1's {@code gather} backward is wrong, and a one-hot matmul costs a dense
 * {@code V×H} product per token).
 *
 * <p>Forward: {@code E[b,t] = word[ids[b,t]] + position[t]}, {@code [B*T,H]} (the token type is
 * added inside the graph). Backward: given {@code G = dL/dE}, {@code dL/dword[v] = Σ_{(b,t):
 * ids[b,t]=v} G[b,t]} (every occurrence of a repeated id adds its row), {@code dL/dposition[t] =
 * Σ_b G[b,t]} (rows ≥ T zero). The scatter-add is a sequential loop over
 * the N = B·T rows (O(N·H), exact for duplicates); only the dense {@code [V,H]} result is allocated.
 */
public final class EmbeddingLookup {
    private EmbeddingLookup() {}

    /** Reads an integer {@code [B,T]} (or any shape) array as a flat row-major int vector. */
    public static int[] flatInts(INDArray a) {
        if (a.ordering() == 'c' && !a.isView() && a.length() == a.data().length()) {
            return a.data().asInt(); // read straight from the buffer: no native copies per call
        }
        try (INDArray c = a.dup('c')) {
            return c.data().asInt();
        }
    }

    /** Rows of {@code table} ({@code [V,H]}) at {@code ids}: {@code [ids.length, H]}, a new array. */
    public static INDArray rows(INDArray table, int[] ids) {
        checkIds(ids, table.size(0));
        return Nd4j.pullRows(table, 1, ids);
    }

    /** Throws if an id is outside {@code [0, rows)}. */
    public static void checkIds(int[] ids, long rows) {
        for (int id : ids) {
            if (id < 0 || id >= rows) {
                throw new IllegalArgumentException("id " + id + " out of range [0, " + rows + ")");
            }
        }
    }

    /**
     * {@code word[ids[n]] + position[n mod t]}, {@code [N,H]} with {@code N = b*t}, for ids
     * {@code [B*T]} flat row-major.
     */
    public static INDArray forward(INDArray word, INDArray position, int[] ids, int b, int t) {
        long h = word.size(1);
        INDArray sum = rows(word, ids); // [N,H]
        // [B, T*H] + the first T position rows flattened to one [T*H] row vector
        INDArray pos = position.get(NDArrayIndex.interval(0, t), NDArrayIndex.all()).dup('c').reshape(1, (long) t * h);
        sum.reshape('c', b, (long) t * h).addiRowVector(pos);
        return sum;
    }

    /** One-hot {@code [N, classes]} of {@code types}. */
    public static INDArray oneHot(int[] types, int classes, DataType dtype) {
        double[] v = new double[types.length * classes];
        for (int n = 0; n < types.length; n++) {
            if (types[n] < 0 || types[n] >= classes) {
                throw new IllegalArgumentException("token type " + types[n] + " out of range [0, " + classes + ")");
            }
            v[n * classes + types[n]] = 1;
        }
        return Nd4j.create(v, new long[] {types.length, classes}, DataType.DOUBLE).castTo(dtype);
    }

    /**
     * {@code dL/dtable} ({@code [rows, H]}) of a lookup of {@code ids} whose output had gradient
     * {@code grad} ({@code [ids.length, H]} or {@code [B,T,H]}): a scatter-add of the gradient rows.
     */
    public static INDArray scatterAdd(int[] ids, INDArray grad, long rows, DataType dtype) {
        int h = (int) grad.size(grad.rank() - 1);
        if (grad.length() != (long) ids.length * h) {
            throw new IllegalArgumentException("gradient has " + grad.length() + " elements, expected "
                    + ids.length + " x " + h);
        }
        INDArray g = grad.dup('c');
        if (dtype == DataType.DOUBLE) {
            double[] src = g.castTo(DataType.DOUBLE).data().asDouble();
            double[] dst = new double[Math.toIntExact(rows * h)];
            for (int n = 0; n < ids.length; n++) {
                int o = ids[n] * h;
                int s = n * h;
                for (int j = 0; j < h; j++) {
                    dst[o + j] += src[s + j];
                }
            }
            return Nd4j.create(dst, new long[] {rows, h}, DataType.DOUBLE);
        }
        float[] src = g.castTo(DataType.FLOAT).data().asFloat();
        float[] dst = new float[Math.toIntExact(rows * h)];
        for (int n = 0; n < ids.length; n++) {
            int o = ids[n] * h;
            int s = n * h;
            for (int j = 0; j < h; j++) {
                dst[o + j] += src[s + j];
            }
        }
        INDArray out = Nd4j.create(dst, new long[] {rows, h}, DataType.FLOAT);
        return dtype == DataType.FLOAT ? out : out.castTo(dtype);
    }

    /** {@code dL/dposition} ({@code [maxPositions, H]}) from {@code dL/dE} ({@code [N,H]}, N = b*t). */
    public static INDArray positionGradient(INDArray grad, int b, int t, long maxPositions) {
        long h = grad.size(grad.rank() - 1);
        INDArray perPosition = Kernels.columnSums(grad.reshape('c', b, (long) t * h)).reshape(t, h); // Σ over the batch
        INDArray out = Nd4j.zeros(grad.dataType(), maxPositions, h);
        out.get(NDArrayIndex.interval(0, t), NDArrayIndex.all()).assign(perPosition);
        return out;
    }
}
