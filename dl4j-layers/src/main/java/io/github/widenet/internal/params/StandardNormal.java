package io.github.widenet.internal.params;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.factory.Nd4j;

/** Fills parameter views in place with i.i.d. N(0, std²) draws from ND4J's global (network-seeded) generator. */
final class StandardNormal {

    private StandardNormal() {
    }

    static INDArray fill(INDArray target, double std) {
        if (std == 0) {
            return target.assign(0);
        }
        Nd4j.getExecutioner().exec(new GaussianDistribution(target, 0.0, std), Nd4j.getRandom());
        return target;
    }
}
