package io.github.widenet.ntk;

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
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.function.Function;

/**
 * The empirical neural tangent kernel of a network at its current parameters w:
 * <pre>
 *     Θ_kl(x, x') = Σ_p ∂f_k(x)/∂w_p · ∂f_l(x')/∂w_p          (f = the logits: the network up to its loss's activation)
 * </pre>
 * i.e. Θ = J Jᵀ with J the Jacobian of the logits on a batch. Any network the linearized wrapper supports is accepted
 * (dense, convolution, pooling, activation, the project's width-scaled and NTK layers, linear graph vertices; checked with
 * {@link TangentRules#check}); the logits must be rank 2, [batch, K]. BatchNormalization layers use their running
 * statistics ({@link BatchNormMode#INFERENCE}) and dropout is the identity: the kernel is that of the network at
 * inference, a function of single examples.
 * <p>Multi-output: {@link Output#FULL} gives the (n·K) × (n·K) matrix with row/column index i·K + k (example-major,
 * per-logit blocks Θ_kl(x_i, x_j)); {@link Output#TRACE} gives the n × n matrix Σ_k Θ_kk(x_i, x_j).
 * <p>Route: for each example and logit k, one forward pass (batch of one) through the logits network and one DL4J
 * backward pass with output gradient e_k give ∂f_k(x_i)/∂w; rows are gathered in blocks of B examples and Θ's blocks
 * are G_A·G_Bᵀ. For n beyond a few hundred examples use {@link NtkRegression}, which never forms Θ.
 * <p><b>Memory bound:</b> at most two Jacobian blocks are held, <b>2·B·K·P</b> numbers (P = number of parameters), plus one
 * example's activations and the result; {@link #peakJacobianEntries()} reports what a call actually held. With b = ⌈n/B⌉
 * blocks the Gram matrix costs n·K·(b+1)/2 backward passes when B divides n (blocks of the second factor are
 * recomputed), the cross matrix n_A·K + n_B·K·b_A; each with its own forward pass. Choose B from a byte budget with
 * {@link #blockSizeFor}. Time per backward pass on a VGG-like net: {@code ./widenet ntk-bench}.
 * <p>Frozen parameters can be left out of the sum over p with {@link #excluding} (see {@link ParameterMask}).
 */
public final class EmpiricalNtk {

    /** Shape of a multi-output kernel. */
    public enum Output {
        /** (n·K) × (n·K), index i·K + k. */
        FULL,
        /** n × n, Σ_k Θ_kk. */
        TRACE
    }

    private final LogitsModel model;
    private final Function<String, String> describe;
    private final INDArray mask;
    private final InnerGraph graph;
    private final INDArray params;
    private final INDArray gradient;
    private final int nOut;
    private final int blockSize;
    private long heldEntries;
    private long peakEntries;
    private long backwardPasses;
    private long forwardPasses;

    private EmpiricalNtk(LogitsModel h, int blockSize, INDArray mask, Function<String, String> describe) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size B (examples per Jacobian block) must be >= 1, got " + blockSize);
        }
        WrappedNetworks.requireExampleLogits(h, "the empirical NTK");
        TangentRules.check(h.logits(), describe);
        this.blockSize = blockSize;
        this.model = h;
        this.describe = describe;
        this.mask = mask;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            this.params = h.params().dup();
            this.gradient = Nd4j.zeros(params.dataType(), params.length());
            this.graph = new InnerGraph(h.logits(), params, gradient);
        }
        this.nOut = Math.toIntExact(WrappedNetworks.nOut(h));
    }

    /** The kernel of {@code net} at its current parameters (a copy: later training does not change it). */
    public static EmpiricalNtk of(MultiLayerNetwork net, int blockSize) {
        return of(LogitsModel.of(net), blockSize, WrappedNetworks.describer(net));
    }

    public static EmpiricalNtk of(ComputationGraph net, int blockSize) {
        return of(LogitsModel.of(net), blockSize, WrappedNetworks.describer(net));
    }

    private static EmpiricalNtk of(LogitsModel h, int blockSize, Function<String, String> describe) {
        return new EmpiricalNtk(h.withBatchNorm(BatchNormMode.INFERENCE, describe).withoutDropout(true), blockSize, null,
                describe);
    }

    /**
     * The kernel of the parameters other than {@code frozenKeys} (flat-layout keys such as {@code "0_b"}): their gradient
     * entries are zeroed, see {@link ParameterMask}.
     */
    public EmpiricalNtk excluding(java.util.Collection<String> frozenKeys) {
        return new EmpiricalNtk(model, blockSize, ParameterMask.excluding(model.logits(), frozenKeys, params.dataType()),
                describe);
    }

    /** The largest B whose two Jacobian blocks (2·B·K·P numbers of {@code type}) fit in {@code bytes}; at least 1. */
    public static int blockSizeFor(long bytes, long nOut, long numParams, DataType type) {
        long perExample = 2L * nOut * numParams * type.width();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes / perExample));
    }

    /** Number of parameters P. */
    public long numParams() {
        return params.length();
    }

    /** Number of logits K. */
    public int numOutputs() {
        return nOut;
    }

    public int blockSize() {
        return blockSize;
    }

    /** The parameters w the kernel is taken at (a flat view the kernel uses; do not modify). */
    public INDArray parameters() {
        return params;
    }

    /** Largest number of Jacobian entries held at once since construction (bounded by 2·B·K·P). */
    public long peakJacobianEntries() {
        return peakEntries;
    }

    /** Forward passes (one per example, logit and Jacobian block) run since construction. */
    public long forwardPasses() {
        return forwardPasses;
    }

    /** Backward passes (one per example, logit and Jacobian block) run since construction. */
    public long backwardPasses() {
        return backwardPasses;
    }

    /** Θ(X, X): FULL (n·K square) or TRACE (n square). */
    public INDArray gram(INDArray x, Output output) {
        long n = x.size(0);
        INDArray out = Nd4j.create(params.dataType(), size(n, output), size(n, output));
        for (long a = 0; a < n; a += blockSize) {
            long aEnd = Math.min(n, a + blockSize);
            INDArray ga = jacobianRows(x, a, aEnd);
            place(out, a, a, product(ga, ga, output), output);
            for (long b = aEnd; b < n; b += blockSize) {
                long bEnd = Math.min(n, b + blockSize);
                INDArray gb = jacobianRows(x, b, bEnd);
                INDArray block = product(ga, gb, output);
                place(out, a, b, block, output);
                place(out, b, a, block.transpose(), output);
                release(gb);
            }
            release(ga);
        }
        return out;
    }

    /** Θ(X_A, X_B): FULL ((n_A·K) × (n_B·K)) or TRACE (n_A × n_B). */
    public INDArray cross(INDArray xa, INDArray xb, Output output) {
        long na = xa.size(0);
        long nb = xb.size(0);
        INDArray out = Nd4j.create(params.dataType(), size(na, output), size(nb, output));
        for (long a = 0; a < na; a += blockSize) {
            long aEnd = Math.min(na, a + blockSize);
            INDArray ga = jacobianRows(xa, a, aEnd);
            for (long b = 0; b < nb; b += blockSize) {
                long bEnd = Math.min(nb, b + blockSize);
                INDArray gb = jacobianRows(xb, b, bEnd);
                place(out, a, b, product(ga, gb, output), output);
                release(gb);
            }
            release(ga);
        }
        return out;
    }

    /**
     * The whole Jacobian J of the logits on {@code x}: (n·K) × P, row i·K + k = ∂f_k(x_i)/∂w. Holds n·K·P numbers: for
     * small problems and tests; the kernels above never build it.
     */
    public INDArray jacobian(INDArray x) {
        INDArray j = jacobianRows(x, 0, x.size(0));
        heldEntries = 0;
        return j;
    }

    private long size(long n, Output output) {
        return output == Output.FULL ? n * nOut : n;
    }

    /** Rows i·K + k (i in [from, to)) of the Jacobian, one backward pass each. */
    private INDArray jacobianRows(INDArray x, long from, long to) {
        long rows = (to - from) * nOut;
        hold(rows * numParams());
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray g = Nd4j.create(params.dataType(), rows, numParams());
            INDArray e = Nd4j.zeros(params.dataType(), 1, nOut);
            for (long i = from; i < to; i++) {
                INDArray xi = example(x, i).castTo(params.dataType());
                for (int k = 0; k < nOut; k++) {
                    // a forward pass before every backward pass: layers on oneDNN release state their backward used
                    // (a second backward after one forward read garbage: NaN in 891 of 900 entries of a VGG's Θ)
                    INDArray out = graph.forward(xi, true);
                    forwardPasses++;
                    if (out.rank() != 2 || out.size(1) != nOut) {
                        throw new IllegalArgumentException("the logits must have shape [batch, " + nOut + "], got "
                                + Arrays.toString(out.shape()));
                    }
                    e.assign(0).putScalar(0, k, 1.0);
                    gradient.assign(0);
                    graph.backward(e);
                    backwardPasses++;
                    if (mask != null) {
                        gradient.muli(mask);
                    }
                    g.getRow((i - from) * nOut + k).assign(gradient);
                }
            }
            return g;
        }
    }

    private static INDArray example(INDArray x, long i) {
        INDArrayIndex[] idx = new INDArrayIndex[x.rank()];
        idx[0] = NDArrayIndex.interval(i, i + 1);
        for (int d = 1; d < idx.length; d++) {
            idx[d] = NDArrayIndex.all();
        }
        return x.get(idx).dup();
    }

    /** G_A·G_Bᵀ (FULL) or Σ_k G_A[k::K]·G_B[k::K]ᵀ (TRACE). */
    private INDArray product(INDArray ga, INDArray gb, Output output) {
        if (output == Output.FULL || nOut == 1) {
            return ga.mmul(gb.transpose());
        }
        long na = ga.size(0) / nOut;
        long nb = gb.size(0) / nOut;
        INDArray sum = Nd4j.zeros(ga.dataType(), na, nb);
        for (int k = 0; k < nOut; k++) {
            sum.addi(ga.getRows(logitRows(na, k)).mmul(gb.getRows(logitRows(nb, k)).transpose()));
        }
        return sum;
    }

    /** Rows i·K + k, i < n. */
    private int[] logitRows(long n, int k) {
        int[] rows = new int[(int) n];
        for (int i = 0; i < n; i++) {
            rows[i] = i * nOut + k;
        }
        return rows;
    }

    private void place(INDArray out, long a, long b, INDArray block, Output output) {
        long scale = output == Output.FULL ? nOut : 1;
        out.get(NDArrayIndex.interval(a * scale, a * scale + block.size(0)),
                NDArrayIndex.interval(b * scale, b * scale + block.size(1))).assign(block);
    }

    private void hold(long entries) {
        heldEntries += entries;
        peakEntries = Math.max(peakEntries, heldEntries);
    }

    private void release(INDArray g) {
        heldEntries -= g.length();
        if (g.closeable()) {
            g.close();
        }
    }
}
