package io.github.widenet.theory.pde.sgd;

import io.github.widenet.layers.MeanFieldLayer;
import io.github.widenet.layers.WidthScaledLayer;
import io.github.widenet.meanfield.MeanFieldTimeScale;
import io.github.widenet.theory.pde.PiecewiseLinearSigma;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The network of Fig. 1 in DL4J: a {@link MeanFieldLayer} d → N → 1 computing f(x) = (1/N) Σ_i σ(⟨w_i, x⟩) (C = 1 and
 * b = 0, both frozen by {@link FrozenReadout}), w_i ~ N(0, s²/d · I_d), followed by a square-loss LossLayer. DL4J
 * averages the loss (y − f)² over a minibatch of B examples, so with SGD step η the update is
 * <pre>
 *     w_i ← w_i + η (2/(B N)) Σ_b (y_b − f(x_b)) σ'(⟨w_i, x_b⟩) x_b
 * </pre>
 * and η = ε·B·N ({@link MeanFieldTimeScale#sgd}(εB, N)) gives 2ε Σ_b (…): B online steps of size ε taken at the same
 * point. One minibatch therefore advances the mean-field time t = kε by εB.
 */
public final class MeanFieldNetwork {

    private MeanFieldNetwork() {
    }

    /** A fresh, initialised network with frozen readout; {@code eps} is the time per sample. */
    public static MultiLayerNetwork create(int d, int units, PiecewiseLinearSigma sigma, double initScale, double eps,
                                           int batch, long seed) {
        return create(d, units, sigma, initScale, eps, batch, seed, DataType.DOUBLE);
    }

    /** As {@link #create(int, int, PiecewiseLinearSigma, double, double, int, long)} in the given precision. */
    public static MultiLayerNetwork create(int d, int units, PiecewiseLinearSigma sigma, double initScale, double eps,
                                           int batch, long seed, DataType dataType) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .list()
                .layer(MeanFieldLayer.builder().nIn(d).units(units).nOut(1)
                        .activation(new PiecewiseLinearActivation(sigma))
                        .inputWeightStd(initScale / Math.sqrt(d)).biasStd(0).outputWeightStd(0)
                        .inputGradient(false).meanFieldSgd(eps * batch).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.getLayer(0).getParam(WidthScaledLayer.OUTPUT_WEIGHT_KEY).assign(1.0);
        freeze(net);
        return net;
    }

    /** Adds the {@link FrozenReadout} listener (again after restoring a checkpoint: listeners are not saved). */
    public static void freeze(MultiLayerNetwork net) {
        net.setListeners(new FrozenReadout(0));
    }

    /** The unit norms r_i = ‖w_i‖ (column norms of W, d × N). */
    public static double[] unitNorms(MultiLayerNetwork net) {
        INDArray w = net.getLayer(0).getParam(WidthScaledLayer.INPUT_WEIGHT_KEY);
        return w.norm2(0).toDoubleVector();
    }
}
