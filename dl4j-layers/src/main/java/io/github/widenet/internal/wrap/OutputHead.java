package io.github.widenet.internal.wrap;

import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The head of a network to wrap: a loss on [batch, K] logits z, loss(σ(z), y), with σ the loss's activation. Supported:
 * a final OutputLayer (z = its pre-activation) or LossLayer (z = its input). When an identity LossLayer follows a layer
 * whose activation is softmax or sigmoid (an ActivationLayer, as in DL4J's SqueezeNet and Darknet19, or a dense layer,
 * as in Keras imports), that activation is the output nonlinearity: it moves into the loss and the logits are the values
 * before it — never the probabilities. Per-position losses (CnnLossLayer, RnnOutputLayer, RnnLossLayer) and YOLO's loss
 * are refused with what they are.
 */
public final class OutputHead {

    /** The heads the wrappers and the NTK accept, as listed in the support table. */
    public static final java.util.List<String> SUPPORTED = java.util.List.of("OutputLayer (logits = its pre-activation)",
            "LossLayer (logits = its input)",
            "softmax/sigmoid ActivationLayer, DenseLayer or OutputLayer before an identity LossLayer (logits = the values "
                    + "before the softmax/sigmoid)");

    /** The heads refused with a message saying what they are. */
    public static final String REFUSED = "CnnLossLayer, RnnOutputLayer, RnnLossLayer (per-position losses), "
            + "Yolo2OutputLayer, other output layers; graphs with several outputs";

    private OutputHead() {
    }

    /** Throws a message saying why the final layer {@code last} ({@code where}) cannot be a wrapped network's head. */
    static void requireSupported(Layer last, String where) {
        String what = where + " (" + last.getClass().getSimpleName() + ")";
        if (last instanceof OutputLayer || last instanceof LossLayer) {
            return;
        }
        if (last instanceof CnnLossLayer || last instanceof RnnOutputLayer || last instanceof RnnLossLayer) {
            throw new IllegalArgumentException("the final " + what + " is a per-position loss on rank-"
                    + (last instanceof CnnLossLayer ? "4 (image)" : "3 (sequence)") + " outputs; the wrappers support "
                    + "losses on [batch, K] logits only: end the network with an OutputLayer or LossLayer (e.g. "
                    + (last instanceof CnnLossLayer ? "GlobalPoolingLayer + OutputLayer" : "LastTimeStep + OutputLayer")
                    + " for one prediction per example)");
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

    /** The loss's own activation σ of a supported final layer. */
    static IActivation activation(Layer last) {
        return last instanceof LossLayer ? ((LossLayer) last).getActivationFn() : ((BaseOutputLayer) last).getActivationFn();
    }

    static ILossFunction loss(Layer last) {
        return last instanceof LossLayer ? ((LossLayer) last).getLossFn() : ((BaseOutputLayer) last).getLossFn();
    }

    /**
     * The output nonlinearity (softmax or sigmoid) that {@code beforeLoss} applies just before the final identity
     * LossLayer {@code last}, or null if there is none to move into the loss.
     */
    static IActivation absorbed(Layer last, Layer beforeLoss) {
        if (!(last instanceof LossLayer) || !isIdentity(((LossLayer) last).getActivationFn())) {
            return null;
        }
        IActivation a = beforeLoss instanceof ActivationLayer ? ((ActivationLayer) beforeLoss).getActivationFn()
                : beforeLoss instanceof DenseLayer || beforeLoss instanceof OutputLayer
                ? ((BaseLayer) beforeLoss).getActivationFn() : null;
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

    /** A final OutputLayer as a dense identity layer with the same parameters and training settings. */
    static Layer asLogits(Layer layer) {
        if (!(layer instanceof OutputLayer)) {
            return layer;
        }
        OutputLayer o = (OutputLayer) layer;
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
