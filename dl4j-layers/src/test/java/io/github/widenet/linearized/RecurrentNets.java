package io.github.widenet.linearized;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Tiny double-precision recurrent and embedding networks (identity + MSE sequence-classification heads, T ≤ 4) for the
 * wrappers' and the NTK's tests, trained by Sgd(lr) (lr = 1 for DL4J's gradient checks, which apply the updater).
 */
public final class RecurrentNets {

    /** Time steps of the test sequences. */
    public static final int T = 4;

    private RecurrentNets() {
    }

    private static NeuralNetConfiguration.ListBuilder base(long seed, double lr) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE).updater(new Sgd(lr)).list();
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        // nonzero biases, so every term of the tangent is exercised
        Nd4j.getRandom().setSeed(conf.getConf(0).getSeed() + 1);
        for (org.deeplearning4j.nn.api.Layer l : net.getLayers()) {
            INDArray b = l.getParam("b");
            if (b != null) {
                b.addi(Nd4j.randn(DataType.DOUBLE, b.shape()).muli(0.3));
            }
        }
        return net;
    }

    private static OutputLayer head(int nOut) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(nOut).activation(Activation.IDENTITY).build();
    }

    /** [N, 3, T] → LastTimeStep(SimpleRnn 4, tanh) → 2. */
    public static MultiLayerNetwork lastStepSimpleRnn(double lr) {
        return init(base(41, lr)
                .layer(new LastTimeStep(new SimpleRnn.Builder().nOut(4).activation(Activation.TANH).build()))
                .layer(head(2))
                .setInputType(InputType.recurrent(3, T))
                .build());
    }

    /** [N, 3, T] → LSTM 3 → LastTimeStep(LSTM 2) → 2: the sequence-classification head. */
    public static MultiLayerNetwork lstmClassifier(double lr) {
        return init(base(42, lr)
                .layer(new LSTM.Builder().nOut(3).build())
                .layer(new LastTimeStep(new LSTM.Builder().nOut(2).build()))
                .layer(head(2))
                .setInputType(InputType.recurrent(3, T))
                .build());
    }

    /**
     * NWC sequences [N, T, 3] → SimpleRnn 2 (sigmoid) → Bidirectional(MUL, GravesLSTM 1) → LastTimeStep(LSTM 2) → 2, all
     * NWC.
     */
    public static MultiLayerNetwork nwcRecurrent(double lr) {
        return init(base(43, lr)
                .layer(new SimpleRnn.Builder().nOut(2).activation(Activation.SIGMOID).dataFormat(RNNFormat.NWC).build())
                .layer(new Bidirectional(Bidirectional.Mode.MUL,
                        new GravesLSTM.Builder().nOut(1).dataFormat(RNNFormat.NWC).build()))
                .layer(new LastTimeStep(new LSTM.Builder().nOut(2).dataFormat(RNNFormat.NWC).build()))
                .layer(head(2))
                .setInputType(InputType.recurrent(3, T, RNNFormat.NWC))
                .build());
    }

    /** Vocabulary of the embedding nets. */
    public static final int VOCAB = 5;

    /**
     * Token sequences [N, T] → EmbeddingSequence 2 → Bidirectional(CONCAT, LSTM 2) → LastTimeStep(Bidirectional(ADD,
     * SimpleRnn 2)) → 2.
     */
    public static MultiLayerNetwork embeddingSequence(double lr) {
        return init(base(44, lr)
                .layer(new EmbeddingSequenceLayer.Builder().nIn(VOCAB).nOut(2).inputLength(T).hasBias(true).build())
                .layer(new Bidirectional(Bidirectional.Mode.CONCAT, new LSTM.Builder().nIn(2).nOut(2).build()))
                .layer(new LastTimeStep(new Bidirectional(Bidirectional.Mode.ADD,
                        new SimpleRnn.Builder().nIn(4).nOut(2).build())))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(2).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build());
    }

    /** Tokens [N, 1] → Embedding 4 (tanh) → dense 3 (tanh) → 2. */
    public static MultiLayerNetwork embedding(double lr) {
        return init(base(45, lr)
                .layer(new EmbeddingLayer.Builder().nIn(VOCAB).nOut(4).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build());
    }

    /** The names of the networks above, for parameterized tests. */
    public static final String[] NAMES = {"lastStepSimpleRnn", "lstmClassifier", "nwcRecurrent", "embeddingSequence",
            "embedding"};

    public static java.util.stream.Stream<String> names() {
        return java.util.stream.Stream.of(NAMES);
    }

    /** The network called {@code name} (one of {@link #NAMES}). */
    public static MultiLayerNetwork byName(String name, double lr) {
        switch (name) {
            case "lastStepSimpleRnn": return lastStepSimpleRnn(lr);
            case "lstmClassifier": return lstmClassifier(lr);
            case "nwcRecurrent": return nwcRecurrent(lr);
            case "embeddingSequence": return embeddingSequence(lr);
            case "embedding": return embedding(lr);
            default: throw new IllegalArgumentException(name);
        }
    }

    /** A random input of {@code n} examples for the network called {@code name}. */
    public static INDArray input(String name, long seed, int n) {
        switch (name) {
            case "embeddingSequence": return tokens(seed, n, T);
            case "embedding": return tokens(seed, n, 1);
            default: return sequences(seed, n, name.equals("nwcRecurrent"));
        }
    }

    /** Standard normal sequences [n, 3, T] (NCW) or [n, T, 3] (NWC). */
    public static INDArray sequences(long seed, int n, boolean nwc) {
        Nd4j.getRandom().setSeed(seed);
        return nwc ? Nd4j.randn(DataType.DOUBLE, n, T, 3) : Nd4j.randn(DataType.DOUBLE, n, 3, T);
    }

    /** Random tokens in [0, VOCAB), as doubles, shaped {@code shape}. */
    public static INDArray tokens(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, shape).muli(VOCAB).castTo(DataType.INT32).castTo(DataType.DOUBLE);
    }
}
