package io.github.widenet.layers.runtime;

import io.github.widenet.internal.onednn.DirectMaxPooling;
import io.github.widenet.internal.onednn.LayoutBridge;
import io.github.widenet.internal.onednn.OneDnnAvailability;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime of {@link io.github.widenet.layers.FastSubsamplingLayer}: DL4J's pooling, except that an unpadded max pooling
 * of float32 NCHW or NHWC data whose windows tile the input exactly ((out − 1)·stride + kernel = in, e.g. VGG's 2×2
 * stride 2) runs on {@link DirectMaxPooling} in training: the forward pass records each window's winner and the
 * backward pass scatters ∂L/∂y through that record (ties: oneDNN's first maximum; after a ReLU, tied zeros receive
 * gradient that the ReLU's 1[a &gt; 0] discards). The record is used only when the backward pass follows a training
 * forward pass on the same input array (NCHW or NHWC); inference, other pooling types, padding, double precision, or no
 * oneDNN Java API: DL4J's own path.
 */
public class FastSubsamplingLayerRuntime extends SubsamplingLayer {

    private transient DirectMaxPooling pooling;
    private transient INDArray keptInput;
    private transient INDArray keptOutput;
    private transient boolean lastBackwardReused;

    public FastSubsamplingLayerRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        keptInput = null;
        keptOutput = null;
        long[] outShape = training ? directShape() : null;
        if (outShape == null) {
            return super.activate(training, workspaceMgr);
        }
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, outShape, 'c');
        if (pooling == null || !pooling.fits(input, y)) {
            pooling = new DirectMaxPooling(input.shape(), outShape, layerConf().getKernelSize(),
                    layerConf().getStride(), nhwc());
        }
        // DL4J's im2col convolution hands over a permuted view: one dense copy is still far cheaper than its backward
        pooling.forward(LayoutBridge.bindable(input) ? input : input.dup('c'), y);
        keptInput = input;
        keptOutput = y;
        return y;
    }

    /** The output shape when the direct path applies to the current input, else null. */
    private long[] directShape() {
        org.deeplearning4j.nn.conf.layers.SubsamplingLayer c = layerConf();
        if (input == null || input.rank() != 4 || c.getPoolingType() != PoolingType.MAX
                || !OneDnnAvailability.available()
                || input.dataType() != DataType.FLOAT
                || c.getPadding()[0] != 0 || c.getPadding()[1] != 0
                || c.getDilation()[0] != 1 || c.getDilation()[1] != 1) {
            return null;
        }
        int[] k = c.getKernelSize();
        int[] s = c.getStride();
        long[] nchw = LayoutBridge.nchwDims(input.shape(), nhwc());
        long h = nchw[2];
        long w = nchw[3];
        if (h < k[0] || w < k[1] || (h - k[0]) % s[0] != 0 || (w - k[1]) % s[1] != 0) {
            return null;   // windows do not tile the input exactly: DL4J's rules for the remainder apply
        }
        long oh = (h - k[0]) / s[0] + 1;
        long ow = (w - k[1]) / s[1] + 1;
        return nhwc() ? new long[]{nchw[0], oh, ow, nchw[1]} : new long[]{nchw[0], nchw[1], oh, ow};
    }

    private boolean nhwc() {
        return layerConf().getCnn2dDataFormat() == CNN2DFormat.NHWC;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        boolean reuse = keptOutput != null && keptInput == input && input != null
                && epsilon.equalShapes(keptOutput) && epsilon.dataType() == DataType.FLOAT;
        keptInput = null;
        keptOutput = null;
        lastBackwardReused = reuse;
        if (!reuse) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray dy = LayoutBridge.bindable(epsilon) ? epsilon : epsilon.dup('c');
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
        pooling.backward(dy, dx);
        return new Pair<>(new DefaultGradient(), dx);
    }

    /** Whether the last backward pass used the recorded winners (for tests). */
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
