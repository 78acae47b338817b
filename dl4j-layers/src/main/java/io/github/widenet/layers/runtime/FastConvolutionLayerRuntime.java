package io.github.widenet.layers.runtime;

import io.github.widenet.layers.WidenetSettings;
import io.github.widenet.internal.onednn.DirectConvolutionForward;
import io.github.widenet.internal.onednn.LayoutBridge;
import io.github.widenet.internal.onednn.OneDnnAvailability;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2DDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Runtime of {@link io.github.widenet.layers.FastConvolutionLayer} (and base of {@link NtkConvolutionLayerRuntime}):
 * DL4J's 2-D convolution, a = σ(W ⋆ x + b), whose backward pass reuses the training forward pass instead of redoing it,
 * and whose forward pass, for ReLU/identity on float32 NCHW or NHWC data with oneDNN's Java API present, is one oneDNN
 * convolution with the activation fused ({@link DirectConvolutionForward}; against ND4J's conv2d plus a separate ReLU
 * on the 13 layer shapes of VGG-11 ÷4 and full width: faster on 12, slightly slower on one). DL4J 1.0.0-M2.1's
 * {@code ConvolutionLayer.backpropGradient} recomputes z = W ⋆ x + b and then runs {@code relu_bp} on it (on VGG-11 ÷4
 * a large share of the training step). Here, for a plain ReLU or the identity,
 * <pre>
 *   ∂L/∂z = ∂L/∂a ⊙ 1[a &gt; 0]      (1[a &gt; 0] = 1[z &gt; 0] for a = max(z, 0); ∂L/∂z = ∂L/∂a for the identity)
 * </pre>
 * is taken from the kept output a (as sign(a), which ND4J computes faster than step(a) or relu_bp), and
 * ∂L/∂W, ∂L/∂b and ∂L/∂x are written straight into DL4J's gradient views by oneDNN's direct convolution or ND4J's
 * {@code conv2d_bp} op, by a fixed rule on the shape ({@link ConvolutionBackwardChoice}). The kept output is used only
 * when the backward pass follows a training forward pass on the same input array; otherwise, and for other activations,
 * dropout or weight noise, DL4J's backward pass runs unchanged. NCHW and NHWC data alike. ∂L/∂a may be overwritten.
 */
public class FastConvolutionLayerRuntime extends ConvolutionLayer {

    private transient INDArray keptInput;
    private transient INDArray keptOutput;
    private transient OpContext backwardContext;
    private transient boolean lastBackwardReused;
    private transient ConvolutionBackwardChoice backwardChoice;
    private transient DirectConvolutionForward forward;
    private transient boolean lastForwardDirect;

    /** System property: {@code direct} (default) or {@code nd4j} (DL4J's forward pass) for the forward convolution. */
    public static final String FORWARD_PROPERTY = WidenetSettings.Setting.CONV_FORWARD.key();

    public FastConvolutionLayerRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray out = directForward(training, workspaceMgr);
        lastForwardDirect = out != null;
        if (out == null) {
            out = super.activate(training, workspaceMgr);
        }
        boolean keep = training && reusable();
        keptInput = keep ? input : null;
        keptOutput = keep ? out : null;
        return out;
    }

    /**
     * σ(W ⋆ x + b) by {@link DirectConvolutionForward} (the activation fused into oneDNN's convolution) when it
     * applies: ReLU or identity, float32 NCHW or NHWC, oneDNN's Java API present, system property {@code
     * widenet.conv.forward} not {@code nd4j}. Otherwise null (DL4J's forward pass runs).
     */
    private INDArray directForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        String mode = WidenetSettings.value(WidenetSettings.Setting.CONV_FORWARD);
        if (mode.equals("nd4j") || !reusable() || input == null || input.rank() != 4 || dataType != DataType.FLOAT
                || input.dataType() != DataType.FLOAT || !OneDnnAvailability.available()) {
            return null;
        }
        validateInputRank();
        INDArray w = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        INDArray b = hasBias() ? getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, training, workspaceMgr) : null;
        validateInputDepth(w.size(1));
        if (!LayoutBridge.bindable(w, b)) {
            return null;
        }
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
        INDArray x = LayoutBridge.bindable(input) ? input : input.dup('c');
        boolean same = convolutionMode == ConvolutionMode.Same;
        boolean nhwc = nhwc();
        int[] outSize = ConvolutionUtils.getOutputSize(x, c.getKernelSize(), c.getStride(), same ? null : c.getPadding(),
                convolutionMode, c.getDilation(), c.getCnn2dDataFormat());
        int[][] pads = padding(spatial(x), outSize);
        if (pads[1][0] < 0 || pads[1][1] < 0) {
            return null;
        }
        long[] aShape = nhwc ? new long[]{x.size(0), outSize[0], outSize[1], w.size(0)}
                : new long[]{x.size(0), w.size(0), outSize[0], outSize[1]};
        INDArray a = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, aShape, 'c');
        if (forward == null || !forward.fits(x, w, a, b != null)) {
            forward = new DirectConvolutionForward(x.shape(), w.shape(), a.shape(), c.getStride(), pads[0], pads[1],
                    c.getDilation(), b != null, c.getActivationFn() instanceof ActivationReLU, nhwc);
        }
        forward.run(x, w, b, a);
        return a;
    }

    private boolean nhwc() {
        return layerConf().getCnn2dDataFormat() == CNN2DFormat.NHWC;
    }

    /** {height, width} of an activation array in the layer's format. */
    private int[] spatial(INDArray a) {
        long[] nchw = LayoutBridge.nchwDims(a.shape(), nhwc());
        return new int[]{(int) nchw[2], (int) nchw[3]};
    }

    /** {top/left, bottom/right} padding of the layer for these input and output sizes (DL4J's Same or fixed padding). */
    private int[][] padding(int[] inSize, int[] outSize) {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
        int[] kernel = c.getKernelSize();
        int[] stride = c.getStride();
        int[] dilation = c.getDilation();
        int[] pad = convolutionMode == ConvolutionMode.Same
                ? ConvolutionUtils.getSameModeTopLeftPadding(outSize, inSize, kernel, stride, dilation)
                : c.getPadding();
        int[] padBottomRight = new int[2];
        for (int i = 0; i < 2; i++) {   // what makes the output size exact: (o−1)·s + (k−1)·d + 1 = in + padTL + padBR
            padBottomRight[i] = (outSize[i] - 1) * stride[i] + (kernel[i] - 1) * dilation[i] + 1 - inSize[i] - pad[i];
        }
        return new int[][]{pad, padBottomRight};
    }

    /** Whether the backward pass can be computed from the kept output (see the class comment). */
    private boolean reusable() {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
        IActivation fn = c.getActivationFn();
        boolean activationOk = fn instanceof ActivationIdentity
                || fn instanceof ActivationReLU relu && ActivationBackprop.isPlain(relu);
        return activationOk && c.getIDropout() == null
                && c.getWeightNoise() == null;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        INDArray a = keptOutput;
        boolean reuse = a != null && keptInput == input && input != null && reusable()
                && epsilon.equalShapes(a);
        keptInput = null;
        keptOutput = null;
        lastBackwardReused = reuse;
        if (!reuse) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        INDArray bias = hasBias() ? getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, true, workspaceMgr) : null;
        INDArray x = input.castTo(dataType);
        INDArray delta = epsilon.castTo(dataType);
        if (layerConf().getActivationFn() instanceof ActivationReLU) {
            delta = delta.muli(Transforms.sign(a.castTo(dataType), true));   // a ≥ 0, so sign(a) = 1[a > 0]
        }
        INDArray weightGrad = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray biasGrad = hasBias() ? gradientViews.get(ConvolutionParamInitializer.BIAS_KEY) : null;
        INDArray inputGrad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        convolutionBackward(x, weights, bias, delta, inputGrad, weightGrad, biasGrad);

        Gradient g = new DefaultGradient();
        if (biasGrad != null) {
            g.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGrad);
        }
        g.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGrad);
        weightNoiseParams.clear();
        return new Pair<>(g, inputGrad);
    }

    /**
     * (x, W, b, ∂L/∂z) → (∂L/∂x, ∂L/∂W, ∂L/∂b) with the layer's kernel, stride, padding and dilation: by oneDNN's
     * direct convolution or ND4J's conv2d_bp op, as {@link ConvolutionBackwardChoice}'s rule picks for this shape.
     */
    private void convolutionBackward(INDArray x, INDArray w, INDArray b, INDArray delta, INDArray dx, INDArray dw,
                                     INDArray db) {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
        int[] kernel = c.getKernelSize();
        int[] stride = c.getStride();
        int[] dilation = c.getDilation();
        boolean same = convolutionMode == ConvolutionMode.Same;
        int[][] pads = padding(spatial(x), spatial(delta));
        int[] pad = pads[0];
        int[] padBottomRight = pads[1];
        if (backwardChoice == null) {
            backwardChoice = new ConvolutionBackwardChoice();
        }
        backwardChoice.run(x, w, delta, dx, dw, db, stride, pad, padBottomRight, dilation, nhwc(),
                () -> nd4jBackward(x, w, b, delta, dx, dw, db, kernel, stride, pad, dilation, same));
    }

    /** One conv2d_bp op. */
    private void nd4jBackward(INDArray x, INDArray w, INDArray b, INDArray delta, INDArray dx, INDArray dw,
                              INDArray db, int[] kernel, int[] stride, int[] pad, int[] dilation, boolean same) {
        if (backwardContext == null) {
            backwardContext = Nd4j.getExecutioner().buildContext();
        }
        OpContext ctx = backwardContext;
        ctx.purge();
        ctx.setIArguments(kernel[0], kernel[1], stride[0], stride[1], pad[0], pad[1], dilation[0], dilation[1],
                same ? 1 : 0, nhwc() ? 1 : 0 /* 0 NCHW, 1 NHWC */, 1 /* weights [oC, iC, kH, kW] */);
        INDArray[] in = b == null ? new INDArray[]{x, w, delta} : new INDArray[]{x, w, b, delta};
        INDArray[] out = db == null ? new INDArray[]{dx, dw} : new INDArray[]{dx, dw, db};
        for (int i = 0; i < in.length; i++) {
            ctx.setInputArray(i, in[i]);
        }
        for (int i = 0; i < out.length; i++) {
            ctx.setOutputArray(i, out[i]);
        }
        Nd4j.exec(new Conv2DDerivative(), ctx);
    }

    /** Whether the last forward pass ran on {@link DirectConvolutionForward} (for tests). */
    boolean lastForwardDirect() {
        return lastForwardDirect;
    }

    /** Whether the last backward pass used the kept forward output (for tests). */
    boolean lastBackwardReused() {
        return lastBackwardReused;
    }

    @Override
    public void clear() {
        super.clear();
        keptInput = null;
        keptOutput = null;
    }
}
