package io.github.widenet.wrap;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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

    /** The layout of a configuration (instantiates the network once). */
    public static ParamLayout of(ComputationGraphConfiguration conf) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            ComputationGraph g = new ComputationGraph(conf.clone());
            g.init();
            List<String> keys = new ArrayList<>();
            List<Long> lengths = new ArrayList<>();
            INDArray flat = g.params();
            long expectedOffset = 0;
            for (Map.Entry<String, INDArray> e : g.paramTable().entrySet()) {
                keys.add(e.getKey());
                lengths.add(e.getValue().length());
                expectedOffset += e.getValue().length();
            }
            if (expectedOffset != (flat == null ? 0 : flat.length())) {
                throw new IllegalStateException("parameter table does not cover the flat parameters");
            }
            return new ParamLayout(keys, lengths.stream().mapToLong(Long::longValue).toArray(), conf);
        }
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
            ComputationGraph g = new ComputationGraph(conf.clone());
            g.init();
            return g.params().reshape(g.params().length());
        }
    }
}
