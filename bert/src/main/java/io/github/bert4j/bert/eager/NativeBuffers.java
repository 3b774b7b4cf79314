package io.github.bert4j.bert.eager;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Native blocks reused for the arrays of {@link EagerEngine}'s forward state whatever the batch
 * shape. ND4J frees an array's native memory only when it is closed or its Java object is garbage
 * collected; an engine that allocated a new state for every new {@code [B,T]} (as tagging does:
 * each batch is padded to its own longest window) left ~100 MB per batch of a seed-size model to
 * the collector, and tagging 40k lines peaked at 8–16 GB of RSS.
 *
 * <p>The {@code i}-th {@link #take} after a {@link #reset} is served from the {@code i}-th block,
 * which grows (the old one closed) when the request is larger than any before: the blocks end up the
 * size of the largest state the engine has needed, and memory stays there. A taken array is an
 * ordinary, contiguous, C-ordered array of exactly the requested shape over the block's memory
 * (not a view to ND4J: the fused kernels accept it), valid until the next {@link #reset}; its
 * contents are whatever the block held. Closing it does not free the block. Not thread-safe: one
 * instance per engine, used under the encoder's lock.
 */
public final class NativeBuffers implements AutoCloseable {
    private final List<INDArray> blocks = new ArrayList<>();
    private int next;

    /** The next array of this shape (contents undefined). */
    INDArray take(DataType type, long... shape) {
        long length = 1;
        for (long d : shape) {
            length *= d;
        }
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            return Nd4j.create(type, shape); // not the engine's types: no reuse
        }
        int slot = next++;
        INDArray block = slot < blocks.size() ? blocks.get(slot) : null;
        if (block == null || block.dataType() != type || block.length() < Math.max(1, length)) {
            long capacity = Math.max(1, length);
            if (block != null && block.dataType() == type) {
                capacity = Math.max(capacity, block.length() + block.length() / 4); // grow by 25% at least
            }
            if (block != null) {
                block.close();
            }
            block = Nd4j.create(type, capacity);
            if (slot < blocks.size()) {
                blocks.set(slot, block);
            } else {
                blocks.add(block);
            }
        }
        if (length == 0) {
            return Nd4j.create(type, shape);
        }
        Pointer p = block.data().pointer();
        DataBuffer buffer = type == DataType.FLOAT
                ? Nd4j.createBuffer(p, type, length, FloatIndexer.create((FloatPointer) p))
                : Nd4j.createBuffer(p, type, length, DoubleIndexer.create((DoublePointer) p));
        return Nd4j.create(buffer, shape);
    }

    /** Starts a new state: the arrays taken so far are no longer used; the next take is served from the first block. */
    void reset() {
        next = 0;
    }

    /** Native bytes held by the blocks. */
    long bytes() {
        long n = 0;
        for (INDArray b : blocks) {
            n += b.length() * b.dataType().width();
        }
        return n;
    }

    /** Frees every block. */
    @Override
    public void close() {
        blocks.forEach(INDArray::close);
        blocks.clear();
        next = 0;
    }
}
