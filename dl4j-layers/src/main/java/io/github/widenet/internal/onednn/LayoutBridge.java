package io.github.widenet.internal.onednn;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;

/**
 * Between the caller's plain NCHW (or NHWC) / OIHW arrays and the layouts a oneDNN primitive chose: for each primitive
 * input whose layout differs, a reorder into a buffer of the primitive's layout before it runs, and for each output, a
 * reorder back after it ran. Buffers and reorders are made once. Public only for {@link #bindable}, the check every
 * caller of the oneDNN classes makes first, and {@link #nchwDims}, the axes of either activation layout.
 */
public final class LayoutBridge {

    private final engine eng;
    private final stream stream;
    private final List<Runnable> before = new ArrayList<>();
    private final List<Runnable> after = new ArrayList<>();

    LayoutBridge(engine eng, stream stream) {
        this.eng = eng;
        this.stream = stream;
    }

    /** The buffer the primitive reads: the user's memory when the layouts agree, else a reordered copy. */
    memory input(memory user, memory.desc wanted) {
        if (user.get_desc().equals(wanted)) {
            return user;
        }
        memory internal = new memory(wanted, eng);
        before.add(reorder(user, internal));
        return internal;
    }

    /** The buffer the primitive writes: the user's memory when the layouts agree, else one reordered into it after. */
    memory output(memory user, memory.desc produced) {
        if (user.get_desc().equals(produced)) {
            return user;
        }
        memory internal = new memory(produced, eng);
        after.add(reorder(internal, user));
        return internal;
    }

    private Runnable reorder(memory from, memory to) {
        reorder r = new reorder(from, to);
        IntMemoryMap args = new IntMemoryMap();
        args.put(DNNL_ARG_FROM, from);
        args.put(DNNL_ARG_TO, to);
        return () -> r.execute(stream, args);
    }

    void reorderInputs() {
        before.forEach(Runnable::run);
    }

    void reorderOutputs() {
        after.forEach(Runnable::run);
    }

    /** Whether the arrays can be handed to oneDNN as they are: float32, dense row-major (NCHW / OIHW). */
    public static boolean bindable(INDArray... arrays) {
        for (INDArray a : arrays) {
            boolean dense = a == null || a.rank() <= 1 ? a == null || a.elementWiseStride() == 1
                    : a.ordering() == 'c' && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(a);
            if (a != null && (a.dataType() != DataType.FLOAT || !dense)) {
                return false;
            }
        }
        return true;
    }

    /** oneDNN's logical [N, C, H, W] dimensions of an array of this shape, NHWC ([N, H, W, C]) or NCHW. */
    public static long[] nchwDims(long[] shape, boolean nhwc) {
        return nhwc ? new long[]{shape[0], shape[3], shape[1], shape[2]} : shape.clone();
    }

    /** A plain float32 memory without data: bound to an INDArray on each call by {@link #bind}. */
    static memory unbound(long[] shape, memory.format_tag tag, engine eng) {
        return new memory(new memory.desc(shape, memory.data_type.f32, tag), eng, null);
    }

    /** Points a memory at an array's data (its data pointer already starts at the array's offset). */
    static void bind(memory m, INDArray a) {
        m.set_data_handle(new FloatPointer(a.data().addressPointer()));
    }
}
