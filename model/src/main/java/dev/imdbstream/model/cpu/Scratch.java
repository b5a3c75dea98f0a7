package dev.imdbstream.model.cpu;

import java.nio.Buffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataBuffer;
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
public final class Scratch {

    /**
     * Whether this process' ND4J backend is the CPU one, whose arrays live in host memory that a Scratch can wrap and
     * the project's CPU layers and loops can read (on CUDA they cannot).
     */
    public static final boolean CPU_BACKEND = Nd4j.getBackend().getClass().getSimpleName().startsWith("Cpu");

    public final long capacity;
    public final INDArray array;
    public final FloatPointer floats;
    public final DoublePointer doubles;
    public final FloatBuffer floatBuffer;
    public final DoubleBuffer doubleBuffer;

    private Scratch(DataType type, long capacity) {
        this(allocate(type, capacity), capacity);
    }

    private Scratch(INDArray array, long capacity) {
        this.capacity = capacity;
        this.array = array;
        if (array.dataType() == DataType.FLOAT) {
            floats = new FloatPointer(array.data().addressPointer());
            doubles = null;
            // From the address pointer, not DataBuffer.asNio(): for a view's buffer that starts at the original's start.
            floatBuffer = new FloatPointer(floats).position(0).limit(capacity).asBuffer();
            doubleBuffer = null;
        } else if (array.dataType() == DataType.DOUBLE) {
            floats = null;
            doubles = new DoublePointer(array.data().addressPointer());
            floatBuffer = null;
            doubleBuffer = new DoublePointer(doubles).position(0).limit(capacity).asBuffer();
        } else {
            throw new IllegalArgumentException("FLOAT or DOUBLE only, not " + array.dataType());
        }
    }

    private static INDArray allocate(DataType type, long capacity) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.createUninitialized(type, Math.max(1, capacity));
        }
    }

    /**
     * The memory of an existing array, element {@code i} of the Scratch being element {@code i} of the array's
     * buffer: for arrays that {@link #isDense} says are laid out as needed; null for any other array. Valid as long
     * as the array is (a workspace array: until its workspace closes).
     */
    public static Scratch wrap(INDArray array) {
        if (!isDense(array) || (array.dataType() != DataType.FLOAT && array.dataType() != DataType.DOUBLE)) {
            return null;
        }
        return new Scratch(array, array.length());
    }

    /**
     * The memory of an array whose elements are a dense run of memory in some order, view or not (e.g. a layer's
     * parameter, a view of the network's flat parameter vector): element {@code i} of the Scratch is the {@code i}-th
     * element of that run, whose order the caller knows from the array's strides. Null for any other array. Valid as
     * long as the array is.
     */
    public static Scratch wrapDense(INDArray array) {
        DataBuffer data = array.data();
        // A view's buffer starts at the view (its address pointer does; its NIO buffer does not, see the constructor).
        if (data.length() != array.length() || array.offset() != data.offset()
                || (data.dataType() != DataType.FLOAT && data.dataType() != DataType.DOUBLE)) {
            return null;
        }
        return new Scratch(array, array.length());
    }

    /** Whether the array's elements are exactly its buffer's first {@code length} elements, in some order. */
    public static boolean isDense(INDArray array) {
        return !array.isView() && array.offset() == 0 && array.data().length() >= array.length();
    }

    /**
     * A direct NIO view of a freshly created, contiguous array (offset 0), for loops that fill it in
     * place of an ND4J copy; null for any other array, which is then filled by ND4J.
     */
    public static Buffer directView(INDArray array) {
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
    public static Scratch ensure(Scratch current, DataType type, long length) {
        if (current != null && current.capacity >= length) {
            return current;
        }
        return new Scratch(type, length);
    }

    /** A c-order view of the first elements, shaped for an ND4J copy. */
    public INDArray view(long offset, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return array.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', shape);
    }

    public void zero(long offset, long length) {
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
