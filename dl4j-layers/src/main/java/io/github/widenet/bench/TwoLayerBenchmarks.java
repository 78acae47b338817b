package io.github.widenet.bench;

import io.github.widenet.layers.MeanFieldLayer;
import io.github.widenet.layers.NtkLayer;
import io.github.widenet.meanfield.MeanFieldTimeScale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training throughput of 784 → m → 10 (batch 100, float32, plain SGD) for the project's blocks and for DL4J's
 * DenseLayer + OutputLayer of the same shape. One step is counted as 6·B·(d·m + m·k) flops (forward, input-gradient
 * and weight-gradient products of both layers).
 */
public final class TwoLayerBenchmarks {

    static final int D = 784;
    static final int K = 10;
    static final int BATCH = 100;

    private TwoLayerBenchmarks() {
    }

    /** One measured configuration. */
    public record Row(String model, int units, double examplesPerSecond, double gflops) {
    }

    public static List<Row> run(int[] widths, double secondsEach) {
        List<DataSet> batches = batches(4);
        List<Row> rows = new ArrayList<>();
        for (int m : widths) {
            double flopsPerStep = 6.0 * BATCH * ((double) D * m + (double) m * K);
            Map<String, StepTimer.Case> cases = new LinkedHashMap<>();
            cases.put("DL4J DenseLayer+OutputLayer", new StepTimer.Case(dense(m), batches));
            cases.put("MeanFieldLayer", new StepTimer.Case(block(m, true), batches));
            cases.put("NtkLayer", new StepTimer.Case(block(m, false), batches));
            for (Map.Entry<String, Double> e : StepTimer.interleaved(cases, 5, secondsEach / 5).entrySet()) {
                rows.add(new Row(e.getKey(), m, BATCH / e.getValue(), flopsPerStep / e.getValue() / 1e9));
            }
        }
        return rows;
    }

    static List<DataSet> batches(int count) {
        Nd4j.getRandom().setSeed(42);
        List<DataSet> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, D);
            INDArray y = Nd4j.zeros(DataType.FLOAT, BATCH, K);
            for (int r = 0; r < BATCH; r++) {
                y.putScalar(r, (r * 7 + i) % K, 1f);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }

    static MultiLayerNetwork dense(int m) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(D).nOut(m).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(m).nOut(K)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static MultiLayerNetwork block(int m, boolean meanField) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.01)).list()
                .layer(meanField
                        ? MeanFieldLayer.builder().nIn(D).units(m).nOut(K).activation(Activation.RELU)
                        .updater(MeanFieldTimeScale.sgd(0.01, m)).build()
                        : NtkLayer.builder().nIn(D).units(m).nOut(K).activation(Activation.RELU).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
