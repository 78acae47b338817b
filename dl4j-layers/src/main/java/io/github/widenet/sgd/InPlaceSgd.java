package io.github.widenet.sgd;

import io.github.widenet.layers.WidthScaledLayer;
import io.github.widenet.layers.runtime.WidthScaledLayerRuntime;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.Arrays;

/**
 * Plain SGD for a network {@code [WidthScaledLayer (or MeanFieldLayer / NtkLayer), LossLayer]} with the update applied
 * inside the backward products: per minibatch of B examples, with the network's own step sizes η(t) (schedules and the
 * {@link io.github.widenet.meanfield.MeanFieldTimeScale} included),
 * <pre>
 *   θ ← θ − (η(t)/B) · ∂(Σ_examples loss)/∂θ      and for W that is one gemm:  W ← 1·W − (η/B)·xᵀ·∂L/∂Z
 * </pre>
 * — the same step as {@code net.fit(batch)} with DL4J's {@link Sgd} (equal up to float rounding), without DL4J's
 * flattened gradient array (W's size: 784 MB at m = 250,000) and without the updater's passes over it. The network stays
 * an ordinary DL4J model (its parameters are trained in place; iteration count, listeners' {@code iterationDone} and
 * {@code score()} are kept), so it can still be saved, evaluated or trained with {@code fit}.
 * <pre>{@code
 * InPlaceSgd sgd = new InPlaceSgd(net);
 * for (DataSet batch : batches) { double loss = sgd.fit(batch); }
 * }</pre>
 * Refused, with the reason, for other layer stacks, updaters other than {@link Sgd}, regularisation, gradient
 * normalisation, input preprocessors and masks.
 */
public final class InPlaceSgd {

    private final MultiLayerNetwork net;
    private final WidthScaledLayerRuntime block;
    private final org.deeplearning4j.nn.layers.LossLayer loss;
    private final WidthScaledLayer blockConf;
    private final LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();

    public InPlaceSgd(MultiLayerNetwork net) {
        if (!net.isInitCalled()) {
            net.init();
        }
        this.net = net;
        Layer[] layers = net.getLayers();
        if (layers.length != 2 || !(layers[0] instanceof WidthScaledLayerRuntime)
                || !(layers[1] instanceof org.deeplearning4j.nn.layers.LossLayer)) {
            throw new IllegalArgumentException("InPlaceSgd trains a network [WidthScaledLayer, LossLayer]; got "
                    + Arrays.stream(layers).map(l -> l.conf().getLayer().getClass().getSimpleName()).toList()
                    + " (train other networks with net.fit)");
        }
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        if (!conf.getInputPreProcessors().isEmpty()) {
            throw new IllegalArgumentException("InPlaceSgd: input preprocessors " + conf.getInputPreProcessors()
                    + " are not supported; feed the block rank-2 input [minibatch, nIn]");
        }
        this.block = (WidthScaledLayerRuntime) layers[0];
        this.loss = (org.deeplearning4j.nn.layers.LossLayer) layers[1];
        this.blockConf = (WidthScaledLayer) block.conf().getLayer();
        GradientNormalization gn = blockConf.getGradientNormalization();
        if (gn != null && gn != GradientNormalization.None) {
            throw new IllegalArgumentException("InPlaceSgd: gradient normalization " + gn
                    + " needs the whole gradient first; remove it or train with net.fit");
        }
        for (String param : new String[]{WidthScaledLayer.INPUT_WEIGHT_KEY, WidthScaledLayer.BIAS_KEY,
                WidthScaledLayer.OUTPUT_WEIGHT_KEY}) {
            checkParam(blockConf, param);
        }
    }

    private static void checkParam(BaseLayer conf, String param) {
        IUpdater updater = conf.getUpdaterByParam(param);
        if (!(updater instanceof Sgd)) {
            throw new IllegalArgumentException("InPlaceSgd applies plain SGD; parameter " + param + " of "
                    + conf.getClass().getSimpleName() + " has updater "
                    + (updater == null ? "none" : updater.getClass().getSimpleName())
                    + " (use new Sgd(lr), MeanFieldTimeScale.sgd(eta, m), or train with net.fit)");
        }
        if (!conf.getRegularizationByParam(param).isEmpty()) {
            throw new IllegalArgumentException("InPlaceSgd: parameter " + param + " has regularization "
                    + conf.getRegularizationByParam(param) + ", which it does not apply; remove it or train with net.fit");
        }
    }

    /** The trained network. */
    public MultiLayerNetwork network() {
        return net;
    }

    /**
     * One SGD step on a minibatch; returns its score (mean loss over the batch, as {@code net.score()} after
     * {@code net.fit(batch)}).
     */
    public double fit(DataSet batch) {
        if (batch.getFeaturesMaskArray() != null || batch.getLabelsMaskArray() != null) {
            throw new IllegalArgumentException("InPlaceSgd: masked minibatches are not supported (train with net.fit)");
        }
        if (batch.getFeatures() == null || batch.getLabels() == null) {
            throw new IllegalArgumentException("InPlaceSgd: the minibatch needs features and labels");
        }
        DataType type = net.params().dataType();              // as net.fit: data in the network's type
        INDArray x = batch.getFeatures().castTo(type);
        INDArray y = batch.getLabels().castTo(type);
        if (x.size(0) != y.size(0)) {
            throw new IllegalArgumentException("InPlaceSgd: " + x.size(0) + " feature rows but " + y.size(0)
                    + " label rows");
        }
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        int iteration = conf.getIterationCount();
        int epoch = conf.getEpochCount();
        for (Layer l : net.getLayers()) {
            l.setIterationCount(iteration);
            l.setEpochCount(epoch);
        }
        net.setInput(x);
        net.setLabels(y);
        block.setInput(x, workspaces);
        INDArray out = block.activate(true, workspaces);
        loss.setInput(out, workspaces);
        loss.setLabels(y);
        double score = loss.computeScore(0.0, true, workspaces);
        INDArray epsilon = loss.backpropGradient(null, workspaces).getSecond();

        double perExample = conf.getConf(0).isMiniBatch() ? 1.0 / x.size(0) : 1.0;
        block.backpropAndStep(epsilon, perExample * rate(WidthScaledLayer.INPUT_WEIGHT_KEY, iteration, epoch),
                perExample * rate(WidthScaledLayer.BIAS_KEY, iteration, epoch),
                perExample * rate(WidthScaledLayer.OUTPUT_WEIGHT_KEY, iteration, epoch));
        net.setScore(score);
        for (TrainingListener listener : net.getListeners()) {
            listener.iterationDone(net, iteration, epoch);
        }
        conf.setIterationCount(iteration + 1);
        block.clear();
        loss.clear();
        return score;
    }

    private double rate(String param, int iteration, int epoch) {
        return blockConf.getUpdaterByParam(param).getLearningRate(iteration, epoch);
    }
}
