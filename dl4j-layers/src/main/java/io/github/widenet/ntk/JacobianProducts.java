package io.github.widenet.ntk;

import io.github.widenet.internal.tangent.TangentPass;
import io.github.widenet.internal.tangent.TangentRules;
import io.github.widenet.internal.wrap.InnerGraph;
import io.github.widenet.internal.wrap.LogitsModel;
import io.github.widenet.internal.wrap.WrappedNetworks;
import io.github.widenet.layers.BatchNormMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Collection;
import java.util.function.Function;

/**
 * Matrix-free products with the Jacobian J = ∂h(w0, x)/∂w of a network's logits h (the network up to its loss's
 * activation) at fixed parameters w0 — the two halves of the neural tangent kernel Θ = J Jᵀ, never formed:
 * <pre>
 *     J·v   (a JVP: v ∈ R^P ↦ [batch, K], exact tangent propagation)       Jᵀ·u  (a VJP: u ∈ R^{batch×K} ↦ R^P, backprop)
 * </pre>
 * Both reuse one forward pass at w0 ({@link #at}):
 * <pre>{@code
 * JacobianProducts jac = JacobianProducts.of(net);        // w0 = net's current parameters (copied)
 * JacobianProducts.Point p = jac.at(features);             // h(w0, x), kept for the products below
 * INDArray jv = p.jvp(v);                                  // J(x)·v
 * p.addVjp(u, sum);                                        // sum += J(x)ᵀ·u
 * }</pre>
 * Any network {@link io.github.widenet.linearized.LinearizedWrapper} supports is accepted (checked here, naming the
 * unsupported layer); as in {@link EmpiricalNtk}, BatchNormalization uses its running statistics and dropout is the
 * identity — the Jacobian of the network at inference. Vectors over parameters are flat, in the logits network's parameter order (that of
 * {@code net.params()}), in double; products run in the network's data type. Memory: P numbers for w0, P for a gradient,
 * P for a direction, plus one minibatch of activations.
 */
public final class JacobianProducts {

    private final LogitsModel model;
    private final INDArray params;
    private final INDArray gradient;
    private final INDArray gradientDouble;
    private final InnerGraph graph;
    private final TangentPass tangent;
    private final INDArray mask;
    private final int nOut;
    private final Function<String, String> describe;

    private JacobianProducts(LogitsModel h, Function<String, String> describe, INDArray mask) {
        TangentRules.check(h.logits(), describe);
        this.model = h;
        this.describe = describe;
        this.mask = mask;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            this.params = h.params().dup();
            this.gradient = Nd4j.zeros(params.dataType(), params.length());
            this.gradientDouble = Nd4j.zeros(DataType.DOUBLE, params.length());
            this.graph = new InnerGraph(h.logits(), params, gradient);
        }
        this.tangent = new TangentPass(graph, h.logits());
        WrappedNetworks.requireExampleLogits(h, "the NTK regression (Jacobian products)");
        this.nOut = Math.toIntExact(WrappedNetworks.nOut(h));
    }

    /** The Jacobian of {@code net}'s logits at its current parameters (a copy: later training does not change it). */
    public static JacobianProducts of(MultiLayerNetwork net) {
        requireNonNull(net);
        return of(LogitsModel.of(net), WrappedNetworks.describer(net));
    }

    public static JacobianProducts of(ComputationGraph net) {
        requireNonNull(net);
        return of(LogitsModel.of(net), WrappedNetworks.describer(net));
    }

    /** As {@link EmpiricalNtk}: BatchNormalization at its running statistics, dropout the identity (the network at inference). */
    private static JacobianProducts of(LogitsModel h, Function<String, String> describe) {
        return new JacobianProducts(h.withBatchNorm(BatchNormMode.INFERENCE, describe).withoutDropout(true), describe,
                null);
    }

    private static void requireNonNull(Object net) {
        if (net == null) {
            throw new IllegalArgumentException("the network is null");
        }
    }

    /**
     * The Jacobian with respect to the parameters other than {@code frozenKeys} only (flat-layout keys such as
     * {@code "0_b"}; see {@link ParameterMask}): Jᵀu is zero on them, so Θ = J M Jᵀ is the kernel of the parameters that
     * move.
     */
    public JacobianProducts excluding(Collection<String> frozenKeys) {
        INDArray m = ParameterMask.excluding(model.logits(), frozenKeys, DataType.DOUBLE);
        return new JacobianProducts(model, describe, m);
    }

    /** Number of parameters P. */
    public long numParams() {
        return params.length();
    }

    /** Number of logits K. */
    public int numOutputs() {
        return nOut;
    }

    /** w0 (the flat view the products use; not to be modified). */
    INDArray parameters() {
        return params;
    }

    /** The network's data type (that of the products' arithmetic). */
    public DataType dataType() {
        return params.dataType();
    }

    /**
     * One forward pass at w0 on {@code features} (cast to the network's data type); the returned point's products are
     * valid until the next call of {@code at}.
     */
    public Point at(INDArray features) {
        if (features == null || features.size(0) < 1) {
            throw new IllegalArgumentException("no examples to evaluate the Jacobian at");
        }
        INDArray x = features.castTo(params.dataType());
        INDArray h0 = graph.forward(x, true);
        if (h0.rank() != 2 || h0.size(1) != nOut) {
            throw new IllegalArgumentException("the logits must have shape [batch, " + nOut + "], got "
                    + Arrays.toString(h0.shape()));
        }
        return new Point(x.size(0), h0);
    }

    /**
     * Frees {@code used} now and returns {@code result}: the solver makes several arrays per minibatch, and as garbage
     * their off-heap memory would wait for the JVM's collector (resident memory grew by gigabytes on VGG).
     */
    private static INDArray release(INDArray used, INDArray result) {
        if (used.closeable()) {
            used.close();
        }
        return result;
    }

    /** The products at one minibatch x, after the forward pass that {@link #at} ran. */
    public final class Point {
        private final long batch;
        private final INDArray logits;

        private Point(long batch, INDArray logits) {
            this.batch = batch;
            this.logits = logits;
        }

        /** Number of examples B. */
        public long batch() {
            return batch;
        }

        /** h(w0, x), [B, K], in double (a copy). */
        public INDArray logits() {
            return logits.dataType() == DataType.DOUBLE ? logits.dup() : logits.castTo(DataType.DOUBLE);
        }

        /** J(x)·v for a flat parameter direction v (length P; frozen entries ignored), [B, K] in double. */
        public INDArray jvp(INDArray v) {
            if (v.length() != params.length()) {
                throw new IllegalArgumentException("direction has " + v.length() + " entries, the network has "
                        + params.length() + " parameters");
            }
            tangent.direction().assign(v.reshape(v.length()));
            if (mask != null) {
                tangent.direction().muli(mask);
            }
            INDArray out = tangent.push(Math.toIntExact(batch));
            return out.dataType() == DataType.DOUBLE ? out : release(out, out.castTo(DataType.DOUBLE));
        }

        /** {@code sum} += J(x)ᵀ·u for u of shape [B, K]; {@code sum} a flat double vector of length P. */
        public void addVjp(INDArray u, INDArray sum) {
            if (u.rank() != 2 || u.size(0) != batch || u.size(1) != nOut) {
                throw new IllegalArgumentException("cotangent must have shape [" + batch + ", " + nOut + "], got "
                        + Arrays.toString(u.shape()));
            }
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                gradient.assign(0);
                INDArray cotangent = u.castTo(params.dataType());
                graph.backward(cotangent);
                if (cotangent != u) {
                    cotangent.close();
                }
                gradientDouble.assign(gradient);
                if (mask != null) {
                    gradientDouble.muli(mask);
                }
                sum.addi(gradientDouble);
            }
        }
    }
}
