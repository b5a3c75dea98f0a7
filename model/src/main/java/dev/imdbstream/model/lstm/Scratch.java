package dev.imdbstream.model.lstm;

import java.nio.Buffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A flat off-heap buffer owned by the layer, outside every DL4J workspace so it lives across steps and
 * batches. Seen three ways: as an INDArray (for ND4J copies), as a BLAS pointer and as an NIO buffer for
 * the element-wise loops. Exactly one of the float/double views is set, by the data type.
 */
final class Scratch {

    final long capacity;
    final INDArray array;
    final FloatPointer floats;
    final DoublePointer doubles;
    final FloatBuffer floatBuffer;
    final DoubleBuffer doubleBuffer;

    private Scratch(DataType type, long capacity) {
        this.capacity = capacity;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            this.array = Nd4j.createUninitialized(type, Math.max(1, capacity));
        }
        if (type == DataType.FLOAT) {
            floats = new FloatPointer(array.data().addressPointer());
            doubles = null;
            floatBuffer = array.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
            doubleBuffer = null;
        } else {
            floats = null;
            doubles = new DoublePointer(array.data().addressPointer());
            floatBuffer = null;
            doubleBuffer = array.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
        }
    }

    /**
     * A direct NIO view of a freshly created, contiguous array (offset 0), for loops that fill it in
     * place of an ND4J copy; null for any other array, which is then filled by ND4J.
     */
    static Buffer directView(INDArray array) {
        if (array.isView() || array.offset() != 0 || array.data().length() < array.length()) {
            return null;
        }
        long n = array.length();
        if (array.dataType() == DataType.FLOAT) {
            return new FloatPointer(array.data().addressPointer()).position(0).limit(n).asBuffer();
        }
        if (array.dataType() == DataType.DOUBLE) {
            return new DoublePointer(array.data().addressPointer()).position(0).limit(n).asBuffer();
        }
        return null;
    }

    /** Returns {@code current} if it holds {@code length} elements, else a new, larger buffer. */
    static Scratch ensure(Scratch current, DataType type, long length) {
        if (current != null && current.capacity >= length) {
            return current;
        }
        return new Scratch(type, length);
    }

    /** A c-order view of the first elements, shaped for an ND4J copy. */
    INDArray view(long offset, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return array.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', shape);
    }

    void zero(long offset, long length) {
        if (floatBuffer != null) {
            for (long i = offset, end = offset + length; i < end; i++) {
                floatBuffer.put((int) i, 0f);
            }
        } else {
            for (long i = offset, end = offset + length; i < end; i++) {
                doubleBuffer.put((int) i, 0d);
            }
        }
    }
}
