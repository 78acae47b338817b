package io.github.widenet.internal.wrap;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link InnerGraph}'s workspace manager: the activation and activation-gradient arrays its layers ask for are lent from
 * the arrays the previous pass used (same data type, shape and order), which {@link #recycle()} takes back when the next
 * forward pass starts — the point where the embedded network's intermediate arrays used to be freed. The embedded network
 * cannot keep them in a DL4J workspace (they must live from its forward pass, through the host network's other layers,
 * to its backward pass), and a fresh off-heap allocation costs several times as much as copying the array. Arrays
 * not lent again within one pass (another batch size) are freed at the following recycle. Every other array type is
 * handled by {@link LayerWorkspaceMgr} as configured. {@code -Dwidenet.inner.recycle=false} turns recycling off
 * (fresh arrays every pass, as before; for comparisons).
 */
final class RecyclingWorkspaceMgr extends LayerWorkspaceMgr {

    private final boolean enabled = io.github.widenet.layers.WidenetSettings.isOn(
            io.github.widenet.layers.WidenetSettings.Setting.INNER_RECYCLE);
    private final Map<String, ArrayDeque<INDArray>> free = new HashMap<>();
    private final List<INDArray> lent = new ArrayList<>();
    private final Set<DataBuffer> managed = Collections.newSetFromMap(new IdentityHashMap<>());

    RecyclingWorkspaceMgr(Set<ArrayType> outOfWorkspaces, Map<ArrayType, WorkspaceConfiguration> configs,
                          Map<ArrayType, String> names) {
        super(outOfWorkspaces, configs, names);
    }

    private boolean recycled(ArrayType type) {
        return enabled && (type == ArrayType.ACTIVATIONS || type == ArrayType.ACTIVATION_GRAD);
    }

    @Override
    public INDArray createUninitialized(ArrayType type, DataType dataType, long[] shape, char order) {
        return recycled(type) ? lend(dataType, shape, order) : super.createUninitialized(type, dataType, shape, order);
    }

    @Override
    public INDArray createUninitialized(ArrayType type, DataType dataType, long... shape) {
        return createUninitialized(type, dataType, shape, Nd4j.order());
    }

    @Override
    public INDArray create(ArrayType type, DataType dataType, long[] shape, char order) {
        return recycled(type) ? lend(dataType, shape, order).assign(0) : super.create(type, dataType, shape, order);
    }

    @Override
    public INDArray create(ArrayType type, DataType dataType, long... shape) {
        return create(type, dataType, shape, Nd4j.order());
    }

    @Override
    public INDArray dup(ArrayType type, INDArray array, char order) {
        return recycled(type) ? lend(array.dataType(), array.shape(), order).assign(array) : super.dup(type, array, order);
    }

    @Override
    public INDArray dup(ArrayType type, INDArray array) {
        return dup(type, array, array.ordering());
    }

    private static String key(DataType dataType, long[] shape, char order) {
        return dataType + "/" + order + Arrays.toString(shape);
    }

    private INDArray lend(DataType dataType, long[] shape, char order) {
        ArrayDeque<INDArray> q = free.get(key(dataType, shape, order));
        INDArray a = q == null ? null : q.poll();
        if (a == null) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                a = Nd4j.createUninitialized(dataType, shape, order);
            }
            managed.add(a.data());
        }
        lent.add(a);
        return a;
    }

    /**
     * Takes back every array lent since the last call (the caller guarantees none is used any more) and frees those that
     * were not lent again since the call before.
     */
    void recycle() {
        for (ArrayDeque<INDArray> q : free.values()) {
            for (INDArray a : q) {
                managed.remove(a.data());
                a.close();
            }
        }
        free.clear();
        for (INDArray a : lent) {
            free.computeIfAbsent(key(a.dataType(), a.shape(), a.ordering()), k -> new ArrayDeque<>()).add(a);
        }
        lent.clear();
    }

    /** Whether {@code array} is (a view of) an array this manager lends, which only {@link #recycle()} may free. */
    boolean owns(INDArray array) {
        DataBuffer b = array.data();
        return managed.contains(b) || (b.originalDataBuffer() != null && managed.contains(b.originalDataBuffer()));
    }
}
