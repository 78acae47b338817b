package io.github.widenet.internal.wrap;

import io.github.widenet.wrap.EmbeddedNetworkLayer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The flat parameter layout of a network: its parameter keys (e.g. {@code "0_W"}) with their lengths and offsets, in the
 * order of {@link ComputationGraph#params()}; also a freshly initialised parameter vector (seeded by the configuration).
 */
public final class ParamLayout {

    private final List<String> keys;
    private final long[] lengths;
    private final long[] offsets;
    private final long total;
    private final ComputationGraphConfiguration conf;
    private final java.util.Map<String, Integer> hostIndex = new java.util.HashMap<>();

    private ParamLayout(List<String> keys, long[] lengths, ComputationGraphConfiguration conf) {
        this.keys = Collections.unmodifiableList(keys);
        this.lengths = lengths;
        this.offsets = new long[lengths.length];
        long o = 0;
        for (int i = 0; i < lengths.length; i++) {
            offsets[i] = o;
            o += lengths[i];
        }
        this.total = o;
        this.conf = conf;
        for (int i = 0; i < keys.size(); i++) {
            for (boolean initial : new boolean[]{false, true}) {
                if (hostIndex.put(EmbeddedNetworkLayer.hostKey(keys.get(i), initial), i) != null) {
                    throw new IllegalArgumentException("parameter keys " + keys + " collide once '_' is written '.'; "
                            + "rename the layers");
                }
            }
        }
    }

    /** Index in {@link #keys()} of a host key such as {@code "w.0.W"}. */
    public int indexOf(String hostKey) {
        Integer i = hostIndex.get(hostKey);
        if (i == null) {
            throw new IllegalArgumentException("not a parameter of this embedded network: '" + hostKey + "'");
        }
        return i;
    }

    /** Layouts by the embedded network's JSON (a layout is a function of it), held while a configuration holds it. */
    private static final Map<String, ParamLayout> BY_JSON = Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** The layout of an embedding layer's network h, computed once per network JSON. */
    public static ParamLayout of(EmbeddedNetworkLayer layer) {
        return BY_JSON.computeIfAbsent(layer.getNetworkJson(), json -> of(layer.network()));
    }

    /**
     * The layout of a configuration (instantiates the network once). DL4J lays a graph's flat parameters out vertex by
     * vertex in topological order, while {@link ComputationGraph#paramTable()} lists vertices in the order they were
     * added; the two differ for graphs built out of topological order, so the keys are collected in topological order
     * and each key's offset is checked against the flat array (numbered 0, 1, 2, … in this throwaway instance).
     */
    public static ParamLayout of(ComputationGraphConfiguration conf) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            ComputationGraphConfiguration probe = GraphConfigs.copy(conf);
            probe.setDataType(DataType.DOUBLE);   // offsets 0, 1, 2, … exact beyond 2^24
            ComputationGraph g = new ComputationGraph(probe);
            g.init();
            List<String> keys = new ArrayList<>();
            List<Long> lengths = new ArrayList<>();
            INDArray flat = g.params();
            if (flat != null) {
                INDArray line = flat.reshape(flat.length());
                long chunk = 1 << 20;                 // arange is exact below 2^24 even in float; offsets added in double
                for (long a = 0; a < line.length(); a += chunk) {
                    long b = Math.min(line.length(), a + chunk);
                    line.get(NDArrayIndex.interval(a, b)).assign(Nd4j.arange(0, b - a).castTo(DataType.DOUBLE).addi(a));
                }
            }
            long offset = 0;
            for (int idx : g.topologicalSortOrder()) {
                GraphVertex v = g.getVertices()[idx];
                // a vertex's parameters in flat order, which is not always its table's (SeparableConvolution2D and
                // DepthwiseConvolution2D lay the bias out first)
                List<Map.Entry<String, INDArray>> params = new ArrayList<>(v.paramTable(false).entrySet());
                params.sort(java.util.Comparator.comparingDouble(e -> firstValue(e.getValue())));
                for (Map.Entry<String, INDArray> e : params) {
                    requireViewAt(e.getValue(), offset, v.getVertexName() + "_" + e.getKey());
                    keys.add(v.getVertexName() + "_" + e.getKey());
                    lengths.add(e.getValue().length());
                    offset += e.getValue().length();
                }
            }
            if (offset != (flat == null ? 0 : flat.length())) {
                throw new IllegalStateException("parameter table does not cover the flat parameters");
            }
            return new ParamLayout(keys, lengths.stream().mapToLong(Long::longValue).toArray(), conf);
        }
    }

    private static double firstValue(INDArray param) {
        return param.length() == 0 ? Double.MAX_VALUE : param.reshape(param.length()).getDouble(0);
    }

    /** Checks that a parameter of a graph whose flat parameters were set to 0, 1, 2, … starts at {@code offset}. */
    private static void requireViewAt(INDArray param, long offset, String key) {
        if (param.length() == 0) {
            return;
        }
        double first = param.reshape(param.length()).getDouble(0);
        double expected = Nd4j.scalar(param.dataType(), (double) offset).getDouble(0);   // rounded as the values were
        if (first != expected) {
            throw new IllegalStateException("parameter '" + key + "' is not laid out at flat offset " + offset
                    + " (it starts at " + (long) first + ")");
        }
    }

    /** The vertex (layer) name of a graph parameter key: {@code "conv1_W"} → {@code "conv1"}. */
    public static String vertexOf(String key) {
        return key.substring(0, key.lastIndexOf('_'));
    }

    /** The layer's own parameter name of a graph parameter key: {@code "conv1_W"} → {@code "W"}. */
    public static String paramOf(String key) {
        return key.substring(key.lastIndexOf('_') + 1);
    }

    public List<String> keys() {
        return keys;
    }

    public long length(int i) {
        return lengths[i];
    }

    public long offset(int i) {
        return offsets[i];
    }

    /** Total number of parameters of the network. */
    public long total() {
        return total;
    }

    /** A freshly initialised parameter vector of the network (its seed decides the values). */
    public INDArray freshParams() {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            ComputationGraph g = new ComputationGraph(GraphConfigs.copy(conf));
            g.init();
            return g.params().reshape(g.params().length());
        }
    }
}
