package io.github.widenet.layers.runtime;

import io.github.widenet.layers.WidthScaledLayer;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
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
        INDArray a = hidden(x, training, workspaceMgr);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                new long[]{x.size(0), layerConf().getNOut()}, 'f');
        Nd4j.gemm(a, getParam(WidthScaledLayer.OUTPUT_WEIGHT_KEY), out, false, false, outputScale(), 0.0);
        if (maskArray != null) {
            applyMask(out);
        }
        NonFiniteCheck.output(out, paramTable(), describe(), getIterationCount(), getEpochCount());
        return out;
    }

    /**
     * The hidden activations A = σ(x·W + b) for input {@code x} (rows = examples, m columns). After a training-mode forward
     * pass on this same input array (and before backprop reuses the memory) the kept activations are returned without
     * recomputation; treat the result as read-only.
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

    /** Computes A = σ(x·W + b); in training mode Z and A are kept for backprop. */
    private INDArray hidden(INDArray x, boolean training, LayerWorkspaceMgr workspaceMgr) {
        long batch = x.size(0);
        long m = units();
        INDArray z;
        INDArray a;
        if (training) {
            ensureCaches(batch, m);
            z = cachedZ;
            a = cachedA;
        } else {
            z = workspaceMgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, new long[]{batch, m}, 'f');
            a = z;
        }
        Nd4j.gemm(x, getParam(WidthScaledLayer.INPUT_WEIGHT_KEY), z, false, false, 1.0, 0.0);
        z.addiRowVector(getParam(WidthScaledLayer.BIAS_KEY));
        if (a != z) {
            a.assign(z);
        }
        INDArray activated = layerConf().getActivationFn().getActivation(a, training);
        if (activated != a) {
            a.assign(activated);
        }
        cachedFor = training ? input : null;
        return a;
    }

    private void ensureCaches(long batch, long m) {
        if (cachedZ != null && cachedZ.size(0) == batch && cachedZ.size(1) == m && cachedZ.dataType() == dataType) {
            return;
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            cachedZ = Nd4j.createUninitialized(dataType, new long[]{batch, m}, 'f');
            cachedA = Nd4j.createUninitialized(dataType, new long[]{batch, m}, 'f');
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
        if (cachedFor != input) {
            hidden(x, true, workspaceMgr);
        }
        INDArray eps = epsilon.castTo(dataType);
        double s = outputScale();
        INDArray c = getParam(WidthScaledLayer.OUTPUT_WEIGHT_KEY);
        INDArray w = getParam(WidthScaledLayer.INPUT_WEIGHT_KEY);

        INDArray gradC = gradientViews.get(WidthScaledLayer.OUTPUT_WEIGHT_KEY);
        Nd4j.gemm(cachedA, eps, gradC, true, false, s, 0.0);

        INDArray dA = cachedA;                                   // A is no longer needed: reuse its memory for ∂L/∂A
        Nd4j.gemm(eps, c, dA, false, true, s, 0.0);
        INDArray dZ = ActivationBackprop.backprop(layerConf().getActivationFn(), cachedZ, dA);   // overwrites Z
        if (maskArray != null) {
            applyMask(dZ);
        }
        cachedFor = null;                                        // caches now hold gradients, not activations

        INDArray gradB = gradientViews.get(WidthScaledLayer.BIAS_KEY);
        dZ.sum(gradB, 0);
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
