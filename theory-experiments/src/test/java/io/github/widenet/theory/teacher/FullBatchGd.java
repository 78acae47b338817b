package io.github.widenet.theory.teacher;

import io.github.widenet.layers.runtime.NonFiniteException;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.function.LongConsumer;

/**
 * The DL4J reference of {@code teacher-scale}'s training (tests only): full-batch gradient descent of a {@link Student}
 * for T steps (one DL4J iteration on the whole training set per step),
 * recording the train and test losses L = (1/2n)Σ(h − y)² every {@code evalEvery} steps and at the end.
 */
public final class FullBatchGd {

    /** Losses at the end, and the smallest test loss seen at the recorded steps ("best throughout training"). */
    public record Trace(double finalTrainLoss, double finalTestLoss, double bestTestLoss, long steps, double seconds) {
    }

    private final DataSet train;
    private final INDArray testX;
    private final double[] trainY;
    private final double[] testY;

    public FullBatchGd(INDArray trainX, double[] trainY, INDArray testX, double[] testY) {
        this.train = new DataSet(trainX, org.nd4j.linalg.factory.Nd4j.createFromArray(trainY).reshape(-1, 1));
        this.trainY = trainY;
        this.testX = testX;
        this.testY = testY;
    }

    public Trace run(MultiLayerNetwork net, long steps, long evalEvery, LongConsumer progress) {
        long start = System.nanoTime();
        double best = testLoss(net);
        for (long t = 1; t <= steps; t++) {
            try {
                net.fit(train);
            } catch (NonFiniteException diverged) {        // the layers stop a run whose outputs overflow
                break;
            }
            if (t % evalEvery == 0 || t == steps) {
                double test = testLoss(net);
                if (!Double.isFinite(test)) {
                    break;
                }
                best = Math.min(best, test);
            }
            if (progress != null) {
                progress.accept(t);
            }
        }
        double trainLoss = lossOrNaN(() -> Losses.halfMse(Student.predict(net, train.getFeatures()), trainY));
        return new Trace(trainLoss, lossOrNaN(() -> testLoss(net)), best, steps,
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * A loss, or NaN when the network's non-finite check stops a diverged run (left out of the report's means, as its
     * NaN loss was before the layers checked).
     */
    private static double lossOrNaN(java.util.function.DoubleSupplier loss) {
        try {
            return loss.getAsDouble();
        } catch (NonFiniteException e) {
            return Double.NaN;
        }
    }

    public double testLoss(MultiLayerNetwork net) {
        return Losses.halfMse(Student.predict(net, testX), testY);
    }
}
