package io.github.widenet.internal.wrap;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The head of a network to wrap: a loss on logits z, loss(σ(z), y), with σ the loss's activation. Supported: a final
 * OutputLayer (z = its pre-activation, [batch, K]), LossLayer (z = its input, [batch, K]), and the per-position losses
 * CnnLossLayer (z = its input, per-pixel logits [batch, K, H, W] or NHWC) and RnnLossLayer (z = its input, per-time-step
 * logits [batch, K, T] or NWC), whose input preprocessor, if any, becomes part of the logits network. When an identity
 * loss layer follows a layer whose activation is softmax or sigmoid (an ActivationLayer, as in DL4J's SqueezeNet and
 * Darknet19, or a dense layer, as in Keras imports; a convolution's sigmoid before a CnnLossLayer, as in DL4J's UNet),
 * that activation is the output nonlinearity: it moves into the loss and the logits are the values before it — never
 * the probabilities. A final RnnOutputLayer, loss(σ(W·x_t + b), y_t) at each time step t, is split the same way as an
 * OutputLayer: its per-time-step logits z_t = W·x_t + b come from DL4J's {@code TimeDistributed(DenseLayer)} with the
 * same parameters, name and format ({@link #asLogits}), and the wrapped network's loss is an RnnLossLayer with its
 * activation and loss (label masks apply there); NCW only, as DL4J M2.1's RnnLossLayer fails on NWC sequences. YOLO's
 * loss is refused with what it is.
 */
public final class OutputHead {

    /** The heads the wrappers and the NTK accept, as listed in the support table. */
    public static final java.util.List<String> SUPPORTED = java.util.List.of("OutputLayer (logits = its pre-activation)",
            "LossLayer (logits = its input)",
            "softmax/sigmoid ActivationLayer, DenseLayer or OutputLayer before an identity LossLayer (logits = the values "
                    + "before the softmax/sigmoid)");

    /** Per-position heads: supported by the lazy and linearized wrappers, refused by the NTK (saying what to do). */
    public static final java.util.List<String> PER_POSITION = java.util.List.of(
            "CnnLossLayer (per-pixel logits = its input, [N, K, H, W] or NHWC; its preprocessor joins the logits)",
            "RnnLossLayer (per-time-step logits = its input, [N, K, T]; its preprocessor joins the logits)",
            "RnnOutputLayer (per-time-step logits = its pre-activation W·x_t + b, as TimeDistributed(DenseLayer); "
                    + "loss as an RnnLossLayer with its activation, label masks included; NCW only: DL4J M2.1's "
                    + "RnnLossLayer fails on NWC)");

    /** The heads refused with a message saying what they are. */
    public static final String REFUSED = "Yolo2OutputLayer, other output layers; graphs with several outputs";

    private OutputHead() {
    }

    /** Throws a message saying why the final layer {@code last} ({@code where}) cannot be a wrapped network's head. */
    static void requireSupported(Layer last, String where) {
        String what = where + " (" + last.getClass().getSimpleName() + ")";
        if (last instanceof RnnOutputLayer && ((RnnOutputLayer) last).getRnnDataFormat() == RNNFormat.NWC) {
            throw new IllegalArgumentException("the final " + what + " uses the NWC data format: the wrappers compute "
                    + "its loss with DL4J's RnnLossLayer, which fails on NWC sequences in DL4J 1.0.0-M2.1 (\"Labels and "
                    + "preOutput must have equal shapes\"); give this layer the NCW format ([N, C, T], DL4J's default)");
        }
        if (last instanceof OutputLayer || last instanceof RnnOutputLayer || isLoss(last)) {
            return;
        }
        if (last instanceof Yolo2OutputLayer) {
            throw new IllegalArgumentException("the final " + what + " computes YOLO's detection loss on a grid of "
                    + "boxes, not a loss on [batch, K] logits: object detection networks are not supported by the "
                    + "wrappers (end the network with an OutputLayer or LossLayer)");
        }
        if (last instanceof BaseOutputLayer) {
            throw new IllegalArgumentException("the final " + what + " is not supported: the wrappers take a final "
                    + "OutputLayer or LossLayer");
        }
        throw new IllegalArgumentException("the final " + what + " is not an output or loss layer: the network has no "
                + "loss to wrap (end it with an OutputLayer or LossLayer)");
    }

    /** A final layer without parameters whose logits are its input: LossLayer, CnnLossLayer or RnnLossLayer. */
    static boolean isLoss(Layer last) {
        return last instanceof LossLayer || perPositionLoss(last);
    }

    /** A per-position loss layer without parameters (CnnLossLayer, RnnLossLayer): its preprocessor joins the logits. */
    static boolean perPositionLoss(Layer last) {
        return last instanceof CnnLossLayer || last instanceof RnnLossLayer;
    }

    /**
     * A per-position head (per-pixel CnnLossLayer, per-time-step RnnLossLayer or RnnOutputLayer): logits of rank 4 or 3.
     */
    public static boolean perPosition(Layer last) {
        return perPositionLoss(last) || last instanceof RnnOutputLayer;
    }

    /** The loss's own activation σ of a supported final layer. */
    static IActivation activation(Layer last) {
        return ((BaseLayer) last).getActivationFn();
    }

    static ILossFunction loss(Layer last) {
        return last instanceof LossLayer ? ((LossLayer) last).getLossFn() : last instanceof CnnLossLayer
                ? ((CnnLossLayer) last).getLossFn() : last instanceof RnnLossLayer ? ((RnnLossLayer) last).getLossFn()
                : ((BaseOutputLayer) last).getLossFn();
    }

    /**
     * The wrapped network's loss layer for the head {@code last}: loss(σ(z), y) with the given σ and loss, of the same
     * kind (LossLayer for [batch, K] logits, CnnLossLayer / RnnLossLayer in the head's data format).
     */
    static Layer lossLayer(Layer last, IActivation activation, ILossFunction loss) {
        if (last instanceof CnnLossLayer) {
            return new CnnLossLayer.Builder().format(((CnnLossLayer) last).getFormat()).activation(activation)
                    .lossFunction(loss).build();
        }
        if (last instanceof RnnLossLayer || last instanceof RnnOutputLayer) {
            return new RnnLossLayer.Builder().dataFormat(last instanceof RnnLossLayer
                            ? ((RnnLossLayer) last).getRnnDataFormat() : ((RnnOutputLayer) last).getRnnDataFormat())
                    .activation(activation).lossFunction(loss).build();
        }
        return new LossLayer.Builder().activation(activation).lossFunction(loss).build();
    }

    /**
     * The output nonlinearity (softmax or sigmoid) that {@code beforeLoss} applies just before the final identity
     * LossLayer {@code last}, or null if there is none to move into the loss.
     */
    static IActivation absorbed(Layer last, Layer beforeLoss) {
        if (!isLoss(last) || !isIdentity(activation(last))) {
            return null;
        }
        IActivation a = beforeLoss instanceof ActivationLayer ? ((ActivationLayer) beforeLoss).getActivationFn()
                : beforeLoss instanceof DenseLayer || beforeLoss instanceof OutputLayer
                || beforeLoss instanceof ConvolutionLayer && perPosition(last) ? ((BaseLayer) beforeLoss).getActivationFn() : null;
        if (perPosition(last) && !(a instanceof ActivationSigmoid)) {
            return null;    // a layer's softmax on rank-3/4 values is not the loss layer's per-position softmax
        }
        return a instanceof ActivationSoftmax || a instanceof ActivationSigmoid ? a : null;
    }

    /** A layer whose activation was absorbed into the loss, with the identity instead (an OutputLayer as dense). */
    static Layer withoutActivation(Layer layer) {
        Layer copy = layer instanceof OutputLayer ? asLogits(layer) : layer.clone();
        ((BaseLayer) copy).setActivationFn(new ActivationIdentity());
        return copy;
    }

    private static boolean isIdentity(IActivation a) {
        return a == null || a instanceof ActivationIdentity;
    }

    /**
     * A final OutputLayer as a dense identity layer with the same parameters and training settings; a final RnnOutputLayer
     * as {@code TimeDistributed} of that dense layer in the RnnOutputLayer's data format, z_t = W·x_t + b per time step
     * (same parameter keys "W", "b" and layer name).
     */
    static Layer asLogits(Layer layer) {
        if (layer instanceof RnnOutputLayer) {
            TimeDistributed td = new TimeDistributed(dense((RnnOutputLayer) layer),
                    ((RnnOutputLayer) layer).getRnnDataFormat());
            td.setLayerName(layer.getLayerName());
            return td;
        }
        if (!(layer instanceof OutputLayer)) {
            return layer;
        }
        return dense((OutputLayer) layer);
    }

    /** An output layer's affine part as a dense identity layer: same nIn, nOut, bias, name and training settings. */
    private static DenseLayer dense(BaseOutputLayer o) {
        DenseLayer d = new DenseLayer.Builder().nIn(o.getNIn()).nOut(o.getNOut()).hasBias(o.hasBias())
                .activation(Activation.IDENTITY).build();
        d.setLayerName(o.getLayerName());
        d.setIUpdater(o.getIUpdater());
        d.setBiasUpdater(o.getBiasUpdater());
        d.setRegularization(o.getRegularization());
        d.setRegularizationBias(o.getRegularizationBias());
        d.setWeightInitFn(o.getWeightInitFn());
        d.setBiasInit(o.getBiasInit());
        d.setGradientNormalization(o.getGradientNormalization());
        d.setGradientNormalizationThreshold(o.getGradientNormalizationThreshold());
        d.setIDropout(o.getIDropout());
        d.setWeightNoise(o.getWeightNoise());
        d.setConstraints(o.getConstraints());
        return d;
    }
}
