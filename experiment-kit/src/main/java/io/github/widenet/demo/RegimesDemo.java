package io.github.widenet.demo;

import io.github.widenet.layers.WidthScaledLayer;
import io.github.widenet.meanfield.MeanFieldTimeScale;
import io.github.widenet.meanfield.UnitParameters;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import io.github.widenet.train.CliErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * A one-minute demonstration of the two regimes on a generated regression task y = sin(2·x₁ + x₂) in 10 dimensions:
 * a mean-field block (1/m, steps η·m) and an NTK block (1/√m, step η) are trained at several widths, and the mean
 * per-unit parameter movement mean_i ‖θ_i(T) − θ_i(0)‖ is printed. Mean field: movement O(1), independent of m.
 * NTK: movement shrinking like 1/√m (the lazy regime).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"One-minute demonstration on a generated task: mean-field vs NTK parameter movement as the width "
                + "grows (no options)."})
public final class RegimesDemo implements Callable<Integer> {

    private static final int D = 10;
    private static final int STEPS = 200;

    public static void main(String[] args) {
        System.exit(CliErrors.configure(new CommandLine(new RegimesDemo()), "demo").execute(args));
    }

    @Override
    public Integer call() {
        DataSet data = task(256, 17);
        System.out.println("Generated task: y = sin(2 x1 + x2), x ~ N(0, I_10), 256 examples, " + STEPS
                + " full-batch SGD steps");
        System.out.printf(Locale.ROOT, "%-11s %7s %10s %14s %18s%n", "regime", "m", "final MSE", "unit movement",
                "movement x sqrt(m)");
        for (String regime : new String[]{"mean-field", "NTK"}) {
            for (int m : new int[]{100, 1_000, 10_000}) {
                boolean meanField = regime.equals("mean-field");
                MultiLayerNetwork net = net(m, meanField);
                INDArray before = UnitParameters.of(net, 0);
                for (int t = 0; t < STEPS; t++) {
                    net.fit(data);
                }
                double movement = UnitParameters.of(net, 0).sub(before).norm2(1).meanNumber().doubleValue();
                System.out.printf(Locale.ROOT, "%-11s %7d %10.4f %14.5f %18.3f%n", regime, m, net.score(data),
                        movement, movement * Math.sqrt(m));
            }
        }
        return 0;
    }

    private static MultiLayerNetwork net(int m, boolean meanField) {
        double eta = 0.05;
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7).list()
                .layer(WidthScaledLayer.builder().nIn(D).units(m).nOut(1).scaleExponent(meanField ? 1.0 : 0.5)
                        .biasStd(0.5).activation(Activation.TANH)
                        .updater(meanField ? MeanFieldTimeScale.sgd(eta, m) : new Sgd(eta)).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }

    private static DataSet task(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(n, D);
        INDArray y = Nd4j.math().sin(x.getColumn(0).mul(2).add(x.getColumn(1))).reshape(n, 1);
        return new DataSet(x, y);
    }
}
