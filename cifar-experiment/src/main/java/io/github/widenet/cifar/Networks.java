package io.github.widenet.cifar;

import io.github.widenet.cifar.model.Architecture;
import io.github.widenet.cifar.model.ResNet;
import io.github.widenet.cifar.model.Vgg;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The run's networks as DL4J {@link Model}s: VGG-11 is a {@link MultiLayerNetwork}, ResNet-18 a single-input,
 * single-output {@link ComputationGraph}; the training loop calls these instead of either class.
 */
final class Networks {

    private Networks() {
    }

    /** A fresh, initialised network of the run's architecture (same seed, hence the same w0). */
    static Model build(CifarRunConfig config, IUpdater updater) {
        if (config.architecture() == Architecture.RESNET18) {
            ComputationGraph g = new ComputationGraph(ResNet.resnet18(config.widthDivisor(), config.seed(),
                    DataType.FLOAT, config.init(), config.loss(), updater, config.layout()));
            g.init();
            return g;
        }
        MultiLayerNetwork net = new MultiLayerNetwork(Vgg.configuration(config.model(), updater, config.layout()));
        net.init();
        return net;
    }

    static void fit(Model net, DataSet batch) {
        if (net instanceof ComputationGraph g) {
            g.fit(batch);
        } else {
            ((MultiLayerNetwork) net).fit(batch);
        }
    }

    /** The network's output at inference. */
    static INDArray output(Model net, INDArray features) {
        return net instanceof ComputationGraph g ? g.outputSingle(features)
                : ((MultiLayerNetwork) net).output(features);
    }

    static void setEpochCount(Model net, int epoch) {
        if (net instanceof ComputationGraph g) {
            g.getConfiguration().setEpochCount(epoch);
        } else {
            ((MultiLayerNetwork) net).setEpochCount(epoch);
        }
    }

    static void setListeners(Model net, TrainingListener listener) {
        net.setListeners(listener);
    }
}
