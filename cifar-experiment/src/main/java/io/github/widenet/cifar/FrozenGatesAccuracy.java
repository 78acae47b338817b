package io.github.widenet.cifar;

import io.github.widenet.cifar.data.CifarBatches;
import io.github.widenet.diagnostics.FrozenGates;
import io.github.widenet.diagnostics.UnderlyingNetwork;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The reference code's "lazy accuracy": the share of images whose class is arg max_k (g_k(w, x) − c·h_k(w0, x)), with g
 * the network at the current weights w and every gate frozen at w0 ({@link FrozenGates}); c = 1 for the centred and
 * linearized modes (their output is centred at h(w0)), c = 0 for the plain network.
 */
final class FrozenGatesAccuracy {

    private FrozenGatesAccuracy() {
    }

    /** The accuracy on {@code set} (images arranged in {@code layout}); NaN for a network FrozenGates cannot run. */
    static double of(UnderlyingNetwork net, Mode mode, CifarBatches set, CNN2DFormat layout) {
        FrozenGates gates;
        try {
            gates = FrozenGates.of(net);
        } catch (IllegalArgumentException e) {
            return Double.NaN;                        // e.g. the NTK-parameterization layers
        }
        long correct = 0;
        for (int b = 0; b < set.batchesPerEpoch(); b++) {
            DataSet d = ModeRun.inLayout(set.batch(0, b), layout);
            INDArray[] out = gates.logits(d.getFeatures());
            INDArray f = mode.isPlain() ? out[0] : out[0].sub(out[1]);
            correct += f.argMax(1).eq(d.getLabels().argMax(1)).castTo(DataType.INT).sumNumber().longValue();
        }
        return correct / (double) set.size();
    }
}
