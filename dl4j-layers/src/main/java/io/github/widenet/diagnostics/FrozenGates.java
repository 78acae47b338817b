package io.github.widenet.diagnostics;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashSet;
import java.util.Set;

/**
 * The network at the current weights w with every gate frozen at its value under w0 (the "lazy accuracy" of
 * Chizat–Oyallon–Bach's code): each ReLU σ(z) becomes z ⊙ 1[z0 > 0] and each 2×2 max-pool takes, in every window, the
 * entry that was the maximum under w0 (the first in row-major order on ties), where z0 and the pooled inputs are those of
 * the same image under w0. So g(w0, x) = h(w0, x), g is piecewise-multilinear in the layers' weights — not the
 * linearization h(w0) + J(w0)(w − w0). Supports chains of layers with ReLU or identity activations and 2×2, stride-2
 * max-pooling (NCHW or NHWC); other activations or pooling are refused by name.
 *
 * <pre>{@code
 * FrozenGates g = FrozenGates.of(UnderlyingNetwork.of(model));
 * INDArray[] out = g.logits(x);   // out[0] = g(w, x), out[1] = h(w0, x)
 * }</pre>
 */
public final class FrozenGates {

    private final ComputationGraph atW;
    private final ComputationGraph atW0;
    private final Set<String> gated = new HashSet<>();
    private final java.util.Map<String, CNN2DFormat> pools = new java.util.HashMap<>();

    private FrozenGates(UnderlyingNetwork net) {
        ComputationGraphConfiguration conf = net.logits().clone();
        String last = conf.getNetworkOutputs().get(0);
        for (var e : conf.getVertices().entrySet()) {
            if (!(e.getValue() instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv)) {
                continue;
            }
            var layer = lv.getLayerConf().getLayer();
            if (layer instanceof SubsamplingLayer s) {
                if (s.getPoolingType() != org.deeplearning4j.nn.conf.layers.PoolingType.MAX || s.getKernelSize()[0] != 2
                        || s.getKernelSize()[1] != 2 || s.getStride()[0] != 2 || s.getStride()[1] != 2
                        || s.getPadding()[0] != 0 || s.getPadding()[1] != 0) {
                    throw new IllegalArgumentException("frozen gates: layer '" + e.getKey() + "' is not a 2x2, "
                            + "stride-2, unpadded max-pooling");
                }
                pools.put(e.getKey(), s.getCnn2dDataFormat() == null ? CNN2DFormat.NCHW : s.getCnn2dDataFormat());
            } else if (layer instanceof BaseLayer b) {
                IActivation a = b.getActivationFn();
                if (a instanceof ActivationReLU) {
                    b.setActivationFn(new ActivationIdentity());
                    gated.add(e.getKey());
                } else if (!(a instanceof ActivationIdentity) && !e.getKey().equals(last)) {
                    throw new IllegalArgumentException("frozen gates: layer '" + e.getKey() + "' has activation "
                            + a + "; only ReLU and identity hidden layers are supported");
                }
            } else {
                throw new IllegalArgumentException("frozen gates: layer '" + e.getKey() + "' ("
                        + layer.getClass().getSimpleName() + ") is not supported");
            }
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            atW = new ComputationGraph(conf.clone());
            atW.init(net.current().dup().reshape(1, net.layout().total()), false);
            atW0 = new ComputationGraph(conf.clone());
            atW0.init(net.initial().dup().reshape(1, net.layout().total()), false);
        }
    }

    /** The frozen-gates network of {@code net} at its current w, gates from its w0 (which must be known). */
    public static FrozenGates of(UnderlyingNetwork net) {
        if (net.initial() == null) {
            throw new IllegalArgumentException("frozen gates need w0: snapshot the plain network's initial parameters");
        }
        return new FrozenGates(net);
    }

    /** {g(w, x), h(w0, x)}: the outputs (of the last layer, its activation included) for the batch {@code x}. */
    public INDArray[] logits(INDArray x) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            atW.setInputs(x);                   // the layers read the batch size from the graph's input
            atW0.setInputs(x);
            INDArray a = x;
            INDArray a0 = x;
            GraphVertex[] vw = atW.getVertices();
            GraphVertex[] v0 = atW0.getVertices();
            for (int i : atW.topologicalSortOrder()) {
                if (vw[i].isInputVertex()) {
                    continue;
                }
                String name = vw[i].getVertexName();
                if (pools.containsKey(name)) {
                    INDArray[] p = pool(a, a0, pools.get(name) == CNN2DFormat.NHWC);
                    a = p[0];
                    a0 = p[1];
                    continue;
                }
                INDArray z = forward(vw[i], a, mgr);
                INDArray z0 = forward(v0[i], a0, mgr);
                if (gated.contains(name)) {
                    INDArray open = z0.gt(0).castTo(z.dataType());
                    a = z.mul(open);
                    a0 = z0.mul(open);
                } else {
                    a = z;
                    a0 = z0;
                }
            }
            return new INDArray[]{a, a0};
        }
    }

    private static INDArray forward(GraphVertex v, INDArray in, LayerWorkspaceMgr mgr) {
        v.setInput(0, in, mgr);
        return v.doForward(false, mgr).detach();
    }

    /**
     * 2×2 max-pool of {@code x0}, and {@code x} gathered at the same (w0) positions: {x gathered, x0 pooled}, NCHW or
     * NHWC. The positions are marked by ND4J's max-pool backprop of ones (M: 1 at each window's maximum of x0), and
     * the gather is 4·avgpool(M ⊙ x) — exact, since the other three cells of a window are 0 and 4·(v/4) = v in
     * floating point. (Ties: a window of x0 whose maximum is shared marks more than one cell; after a frozen ReLU the
     * common tie is a window of zeros, where x is 0 too.) On VGG-11 ÷4 this replaced a permute-and-copy of every
     * window that took most of a CIFAR epoch's evaluation.
     */
    private static INDArray[] pool(INDArray x, INDArray x0, boolean nhwc) {
        int format = nhwc ? 1 : 0;
        INDArray pooled0 = Nd4j.exec(DynamicCustomOp.builder("maxpool2d").addInputs(x0)
                .addIntegerArguments(2, 2, 2, 2, 0, 0, 1, 1, 0, 0, format).build())[0];
        INDArray mask = Nd4j.exec(DynamicCustomOp.builder("maxpool2d_bp")
                .addInputs(x0, Nd4j.ones(x0.dataType(), pooled0.shape()))
                .addIntegerArguments(2, 2, 2, 2, 0, 0, 1, 1, 0, 0, format).build())[0];
        INDArray gathered = Nd4j.exec(DynamicCustomOp.builder("avgpool2d").addInputs(mask.muli(x.castTo(mask.dataType())))
                .addIntegerArguments(2, 2, 2, 2, 0, 0, 1, 1, 0, 1, format).build())[0].muli(4);
        return new INDArray[]{gathered, pooled0};
    }
}
