package io.github.widenet.diagnostics;

import io.github.widenet.layers.WidthScaledLayer;
import io.github.widenet.layers.runtime.WidthScaledLayerRuntime;
import io.github.widenet.internal.wrap.InnerGraph;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Activation-pattern stability ("proportion_lazy" in Chizat–Oyallon–Bach's code): on a fixed probe batch, the share of
 * ReLU units — every (example, channel, position) of every ReLU layer, and the hidden units of ReLU width-scaled blocks —
 * whose sign has not changed since initialisation, per layer. {@link #update()} compares the current signs with the
 * initial ones and accumulates which units have ever flipped, so called regularly (e.g. by {@link LazinessListener}) it
 * reports the share that never changed; a single call reports the share with the same sign now as at init.
 */
public final class ReluSignStability {

    private final UnderlyingNetwork net;
    private final INDArray probe;
    private final Map<String, INDArray> initialSigns;
    private final Map<String, INDArray> everChanged = new LinkedHashMap<>();

    /** Records the initial signs: from the stored w0 of a wrapped network, else from the network as it is now. */
    public ReluSignStability(UnderlyingNetwork net, INDArray probe) {
        this.net = net;
        this.probe = probe;
        INDArray w0 = net.initial() != null ? net.initial() : net.current();
        this.initialSigns = signs(net.at(w0));
        if (initialSigns.isEmpty()) {
            throw new IllegalArgumentException("the network has no ReLU layers to track");
        }
        for (Map.Entry<String, INDArray> e : initialSigns.entrySet()) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                everChanged.put(e.getKey(), Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.BOOL, e.getValue().shape()));
            }
        }
    }

    /** Whether the network has ReLU units this class can track (ReLU layers or ReLU width-scaled blocks). */
    public static boolean hasReluUnits(UnderlyingNetwork net) {
        for (var v : net.logits().getVertices().values()) {
            if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex) {
                org.deeplearning4j.nn.conf.layers.Layer conf =
                        ((org.deeplearning4j.nn.conf.graph.LayerVertex) v).getLayerConf().getLayer();
                IActivation a = conf instanceof WidthScaledLayer ? ((WidthScaledLayer) conf).getActivationFn()
                        : activation(conf);
                if (isRelu(a)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Compares the current signs with the initial ones; returns layer → share of units that never changed. */
    public Map<String, Double> update() {
        Map<String, INDArray> now = signs(net.atCurrent());
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : now.entrySet()) {
            INDArray flipped = e.getValue().neq(initialSigns.get(e.getKey()));
            INDArray ever = Transforms.or(everChanged.get(e.getKey()), flipped);
            everChanged.put(e.getKey(), ever);
            long changed = ever.castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
            out.put(e.getKey(), 1.0 - changed / (double) ever.length());
        }
        return out;
    }

    /**
     * Saves which units have flipped so far (to resume a long run without losing the history); a failed write (e.g. a
     * full disk) names the file and leaves neither a partial file nor a temporary one.
     */
    public void save(java.nio.file.Path file) throws java.io.IOException {
        java.nio.file.Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            java.nio.file.Files.createDirectories(parent);
        }
        java.nio.file.Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (java.io.OutputStream out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(tmp))) {
                write(out);
            }
            java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.IOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            java.nio.file.Files.deleteIfExists(tmp);
        }
    }

    /** Writes the history {@link #load} reads to {@code stream}. */
    public void write(java.io.OutputStream stream) throws java.io.IOException {
        java.io.DataOutputStream out = new java.io.DataOutputStream(stream);
        out.writeInt(everChanged.size());
        for (Map.Entry<String, INDArray> e : everChanged.entrySet()) {
            out.writeUTF(e.getKey());
            Nd4j.write(e.getValue(), out);
        }
        out.flush();
    }

    /** Restores a history written by {@link #save}; the layers must match. */
    public void load(java.nio.file.Path file) throws java.io.IOException {
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(
                java.nio.file.Files.newInputStream(file)))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                INDArray a = Nd4j.read(in);
                if (!everChanged.containsKey(name) || !java.util.Arrays.equals(a.shape(), everChanged.get(name).shape())) {
                    throw new java.io.IOException(file + ": sign history for layer '" + name + "' does not match this network");
                }
                everChanged.put(name, a);
            }
        }
    }

    /** The share over all tracked units together, from a map returned by {@link #update()}, weighted by unit counts. */
    public double overall(Map<String, Double> perLayer) {
        double kept = 0;
        long total = 0;
        for (Map.Entry<String, Double> e : perLayer.entrySet()) {
            long n = initialSigns.get(e.getKey()).length();
            kept += e.getValue() * n;
            total += n;
        }
        return kept / total;
    }

    /** Layer name → boolean array "pre-activation > 0" for every ReLU unit on the probe batch. */
    private Map<String, INDArray> signs(InnerGraph g) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            g.forward(probe, false);
            for (int idx : g.order()) {
                GraphVertex v = g.vertices()[idx];
                if (!v.hasLayer()) {
                    continue;
                }
                Layer layer = v.getLayer();
                org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
                if (conf instanceof WidthScaledLayer) {
                    if (isRelu(((WidthScaledLayer) conf).getActivationFn())) {
                        out.put(v.getVertexName(), ((WidthScaledLayerRuntime) layer).hiddenActivations(layer.input()).gt(0.0));
                    }
                } else if (isRelu(activation(conf))) {
                    // relu(z) > 0 exactly when z > 0
                    out.put(v.getVertexName(), g.output(idx).gt(0.0));
                }
            }
        }
        return out;
    }

    private static IActivation activation(org.deeplearning4j.nn.conf.layers.Layer conf) {
        if (conf instanceof ActivationLayer) {
            return ((ActivationLayer) conf).getActivationFn();
        }
        return conf instanceof BaseLayer ? ((BaseLayer) conf).getActivationFn() : null;
    }

    private static boolean isRelu(IActivation a) {
        return a instanceof ActivationReLU;
    }
}
