package io.github.widenet.layers.runtime;

import io.github.widenet.internal.kernel.ReluBlockKernels;
import io.github.widenet.layers.WidthScaledLayer;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Runtime of {@link WidthScaledLayer}: forward y = s · σ(x·W + b) · C with s = m^(-p), and the exact backward pass
 * <pre>
 *   ∂L/∂C = s · Aᵀ·ε      ∂L/∂Z = (s · ε·Cᵀ) ⊙ σ'(Z)      ∂L/∂b = Σ_rows ∂L/∂Z
 *   ∂L/∂W = xᵀ·∂L/∂Z      ∂L/∂x = ∂L/∂Z · Wᵀ                 (Z = x·W + b, A = σ(Z), ε = ∂L/∂y)
 * </pre>
 * Unlike DL4J's dense layers, a training forward pass keeps Z and A (outside workspaces, reused between iterations)
 * so backprop does not recompute x·W: one step costs 6·B·(nIn·m + m·nOut) flops, or 4·B·nIn·m + 6·B·m·nOut without the
 * input gradient ({@link WidthScaledLayer.Builder#inputGradient(boolean)}, for a network's first layer).
 */
public class WidthScaledLayerRuntime extends BaseLayer<WidthScaledLayer> {

    private INDArray cachedZ;
    private INDArray cachedA;
    /** The input the caches were computed from; backprop recomputes them for any other input. */
    private INDArray cachedFor;
    /** The kept A came from the fused kernel (Z then holds x·W without b, and the backward pass must be the fused one). */
    private boolean cachedFused;
    /** ∂L/∂C and ∂L/∂b of {@link #backpropAndStep} (m·(nOut + 1) floats; W's gradient is never materialised). */
    private INDArray stepGradC;
    private INDArray stepGradB;
    private INDArray stepOnes;

    public WidthScaledLayerRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasBias() {
        return true;
    }

    /** The output scale s = m^(-p). */
    public double outputScale() {
        return layerConf().outputScale();
    }

    /** Hidden width m. */
    public long units() {
        return layerConf().getUnits();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray x = checkedInput();
        NonFiniteCheck.input(x, describe(), getIterationCount(), getEpochCount());
        INDArray a = hidden(x, training, workspaceMgr, true);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                new long[]{x.size(0), layerConf().getNOut()}, 'c');
        Nd4j.gemm(a, getParam(WidthScaledLayer.OUTPUT_WEIGHT_KEY), out, false, false, outputScale(), 0.0);
        if (maskArray != null) {
            applyMask(out);
        }
        NonFiniteCheck.output(out, paramTable(), describe(), getIterationCount(), getEpochCount());
        return out;
    }

    /**
     * The hidden activations A = σ(x·W + b) for input {@code x} (rows = examples, m columns). After a training-mode
     * forward pass on this same input array (and before backprop reuses the memory) the kept activations are returned
     * without recomputation; treat the result as read-only.
     */
    public INDArray hiddenActivations(INDArray x) {
        if (x == cachedFor && cachedA != null) {
            return cachedA;
        }
        INDArray xx = x.castTo(dataType);
        INDArray z = Nd4j.gemm(xx, getParam(WidthScaledLayer.INPUT_WEIGHT_KEY), false, false);
        z.addiRowVector(getParam(WidthScaledLayer.BIAS_KEY));
        return layerConf().getActivationFn().getActivation(z, false);
    }

    /**
     * Computes A = σ(x·W + b); in training mode Z and A are kept for backprop. Z and A are row-major: x·W into a
     * row-major result ran faster than into a column-major one (784 → 10,000, batch 100), and so did
     * ∂L/∂Zᵀ·x. With {@code allowFused}, a plain-ReLU float block without mask that is wide enough ({@link
     * ReluBlockKernels#pays}) adds b and applies the ReLU in one fused pass, leaving x·W (without b) in Z; {@code
     * cachedFused} records it.
     */
    private INDArray hidden(INDArray x, boolean training, LayerWorkspaceMgr workspaceMgr, boolean allowFused) {
        long batch = x.size(0);
        long m = units();
        INDArray z;
        INDArray a;
        if (training) {
            ensureCaches(batch, m);
            z = cachedZ;
            a = cachedA;
        } else {
            z = workspaceMgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, new long[]{batch, m}, 'c');
            a = z;
        }
        Nd4j.gemm(x, getParam(WidthScaledLayer.INPUT_WEIGHT_KEY), z, false, false, 1.0, 0.0);
        INDArray bias = getParam(WidthScaledLayer.BIAS_KEY);
        cachedFused = allowFused && plainRelu() && maskArray == null && ReluBlockKernels.pays(z.length())
                && ReluBlockKernels.forwardFits(z, bias, a);
        cachedFor = training ? input : null;
        if (cachedFused) {
            ReluBlockKernels.biasRelu(z, bias, a);                   // A = max(Z + b, 0) in one pass; Z stays x·W
            return a;
        }
        z.addiRowVector(bias);
        IActivation fn = layerConf().getActivationFn();
        if (a != z && plainRelu()) {
            Nd4j.getExecutioner().exec(new RectifiedLinear(z, a, 0.0));      // A = max(Z, 0) in one pass
        } else {
            if (a != z) {
                a.assign(z);
            }
            INDArray activated = fn.getActivation(a, training);
            if (activated != a) {
                a.assign(activated);
            }
        }
        return a;
    }

    private boolean plainRelu() {
        return layerConf().getActivationFn() instanceof ActivationReLU relu && ActivationBackprop.isPlain(relu);
    }

    private void ensureCaches(long batch, long m) {
        if (cachedZ != null && cachedZ.size(0) == batch && cachedZ.size(1) == m && cachedZ.dataType() == dataType) {
            return;
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            cachedZ = Nd4j.createUninitialized(dataType, new long[]{batch, m}, 'c');
            cachedA = Nd4j.createUninitialized(dataType, new long[]{batch, m}, 'c');
        }
    }

    private INDArray checkedInput() {
        if (input.rank() != 2) {
            throw new DL4JInvalidInputException(describe() + ": expected a rank-2 input [minibatch, nIn="
                    + layerConf().getNIn() + "], got shape " + Arrays.toString(input.shape())
                    + " (missing preprocessor or wrong InputType?)");
        }
        if (input.size(1) != layerConf().getNIn()) {
            throw new DL4JInvalidInputException(describe() + ": input has " + input.size(1)
                    + " features (shape " + Arrays.toString(input.shape()) + ") but the layer was configured with nIn="
                    + layerConf().getNIn());
        }
        return input.castTo(dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray x = checkedInput();
        INDArray gradC = gradientViews.get(WidthScaledLayer.OUTPUT_WEIGHT_KEY);
        INDArray gradB = gradientViews.get(WidthScaledLayer.BIAS_KEY);
        INDArray dZ = hiddenGradient(x, epsilon, gradC, gradB, workspaceMgr);
        INDArray w = getParam(WidthScaledLayer.INPUT_WEIGHT_KEY);

        INDArray gradW = gradientViews.get(WidthScaledLayer.INPUT_WEIGHT_KEY);
        Nd4j.gemm(x, dZ, gradW, true, false, 1.0, 0.0);

        INDArray epsilonNext = null;
        if (layerConf().isInputGradient()) {
            epsilonNext = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                    new long[]{x.size(0), x.size(1)}, 'f');
            Nd4j.gemm(dZ, w, epsilonNext, false, true, 1.0, 0.0);
            epsilonNext = backpropDropOutIfPresent(epsilonNext);
        }

        Gradient ret = new DefaultGradient();
        ret.gradientForVariable().put(WidthScaledLayer.INPUT_WEIGHT_KEY, gradW);
        ret.gradientForVariable().put(WidthScaledLayer.BIAS_KEY, gradB);
        ret.gradientForVariable().put(WidthScaledLayer.OUTPUT_WEIGHT_KEY, gradC);
        return new Pair<>(ret, epsilonNext);
    }

    /**
     * The part of the backward pass both {@link #backpropGradient} and {@link #backpropAndStep} share: writes
     * ∂L/∂C = s·Aᵀ·ε into {@code gradC} and ∂L/∂b = 1ᵀ·∂L/∂Z into {@code gradB}, and returns ∂L/∂Z = (s·ε·Cᵀ) ⊙ σ'(Z),
     * recomputing the forward pass first if the kept Z and A are not for the current input {@code x} (already checked).
     * Z's or A's memory then holds ∂L/∂Z. A float ReLU block without mask takes {@link ReluBlockKernels}' fused pass.
     */
    private INDArray hiddenGradient(INDArray x, INDArray epsilon, INDArray gradC, INDArray gradB,
                                    LayerWorkspaceMgr workspaceMgr) {
        INDArray eps = epsilon.castTo(dataType);
        double s = outputScale();
        INDArray c = getParam(WidthScaledLayer.OUTPUT_WEIGHT_KEY);
        ensureCaches(x.size(0), units());
        boolean fused = maskArray == null && ReluBlockKernels.pays(cachedA.length())
                && ReluBlockKernels.backwardFits(cachedA, eps, c, cachedZ, gradB, gradC);
        if (cachedFor != input || cachedFused != fused) {        // not kept, or kept in the other path's form
            hidden(x, true, workspaceMgr, fused);
            fused = cachedFused;
        }
        cachedFor = null;                                        // caches now hold gradients, not activations
        if (fused) {
            ReluBlockKernels.backward(cachedA, eps, c, s, cachedZ, gradB, gradC);
            return cachedZ;
        }
        Nd4j.gemm(cachedA, eps, gradC, true, false, s, 0.0);
        INDArray dA = cachedA;                                   // A is no longer needed: reuse its memory for ∂L/∂A
        Nd4j.gemm(eps, c, dA, false, true, s, 0.0);
        INDArray dZ = ActivationBackprop.backprop(layerConf().getActivationFn(), cachedZ, dA);   // overwrites Z
        if (maskArray != null) {
            applyMask(dZ);
        }
        rowSums(dZ, gradB);
        return dZ;
    }

    /** Σ_rows ∂L/∂Z into {@code out}: as the product 1ᵀ·∂L/∂Z up to {@link #ROW_SUM_AS_PRODUCT_MAX} values. */
    private void rowSums(INDArray dZ, INDArray out) {
        if (dZ.length() <= ROW_SUM_AS_PRODUCT_MAX) {
            Nd4j.gemm(ones(dZ.size(0)), dZ, out, false, false, 1.0, 0.0);
        } else {
            dZ.sum(out, 0);
        }
    }

    /**
     * Backprop of ε = ∂L/∂y fused with a plain SGD step, for {@link io.github.widenet.sgd.InPlaceSgd}: after a
     * training-mode forward pass on the current input,
     * <pre>
     *   C ← C − η_C·∂L/∂C      b ← b − η_b·∂L/∂b      W ← W − η_W·xᵀ·∂L/∂Z   (one gemm with β = 1 into W)
     * </pre>
     * with the gradients of {@link #backpropGradient} (∂L/∂C and ∂L/∂Z from the parameters before the step). No
     * gradient array of W's size exists at any time and no input gradient is computed; the kept Z and A are
     * overwritten. Results equal backprop followed by SGD up to float rounding (the update is accumulated inside the
     * product).
     */
    public void backpropAndStep(INDArray epsilon, double stepW, double stepB, double stepC) {
        assertInputSet(true);
        INDArray x = checkedInput();
        ensureStepScratch();
        // ∂L/∂C and ∂L/∂Z from C before its step
        INDArray dZ = hiddenGradient(x, epsilon, stepGradC, stepGradB, LayerWorkspaceMgr.noWorkspaces());
        getParam(WidthScaledLayer.OUTPUT_WEIGHT_KEY).subi(stepGradC.muli(stepC));
        INDArray w = getParam(WidthScaledLayer.INPUT_WEIGHT_KEY);
        getParam(WidthScaledLayer.BIAS_KEY).subi(stepGradB.muli(stepB));
        Nd4j.gemm(x, dZ, w, true, false, -stepW, 1.0);
    }

    /**
     * Largest ∂L/∂Z (in values) whose row sums the ND4J backward path takes as the product 1ᵀ·∂L/∂Z: at batch 100
     * the product beat ND4J's sum over dimension 0 at m = 10,000 and 20,000, and lost to it at 250,000, once the
     * array no longer sits in cache.
     */
    public static final long ROW_SUM_AS_PRODUCT_MAX = 2_000_000;

    /** A 1 × rows row of ones (kept) for row sums as a product. */
    private INDArray ones(long rows) {
        if (stepOnes == null || stepOnes.size(1) != rows || stepOnes.dataType() != dataType) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                stepOnes = Nd4j.ones(dataType, 1, rows);
            }
        }
        return stepOnes;
    }

    private void ensureStepScratch() {
        INDArray c = getParam(WidthScaledLayer.OUTPUT_WEIGHT_KEY);
        if (stepGradC != null && stepGradC.dataType() == dataType) {
            return;
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            stepGradC = Nd4j.createUninitialized(dataType, c.shape(), c.ordering());
            stepGradB = Nd4j.createUninitialized(dataType, getParam(WidthScaledLayer.BIAS_KEY).shape(), 'c');
        }
    }

    @Override
    protected org.nd4j.common.primitives.Pair<INDArray, INDArray> preOutputWithPreNorm(boolean training,
                                                                                      boolean forBackprop,
                                                                                      LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException(describe() + " is a two-layer block: it has no single pre-output");
    }

    @Override
    public void clear() {
        super.clear();
        cachedFor = null;
    }

    @Override
    public void fit(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException(describe() + ": train the network that contains this layer");
    }

    private String describe() {
        String name = layerConf().getLayerName();
        return layerConf().getClass().getSimpleName() + (name == null ? "" : " '" + name + "'") + " (layer " + index + ")";
    }
}
