package io.github.widenet.theory.teacher;

import io.github.widenet.lazy.LazyWrapper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The initial scale τ is the lazy factor α = τ² (h is 2-homogeneous, h(w0) = 0): writing w = τu, GD on L(h(w)) with
 * step η is GD on L(τ²h(u))/τ⁴ with step τ²η — which is {@link LazyWrapper} with α = τ² and learning rate τ²η. So the
 * scale-sweep's step min(cap, c/τ²) is the lazy model with the fixed step c.
 */
class LazyEquivalenceTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Test
    void scaleTauStudentFollowsTheLazyWrapperWithAlphaTauSquared() {
        int d = 6, m = 8, steps = 25;
        double tau = 3.0, eta = 0.1 / (tau * tau);
        Problem p = Problem.generate(d, 2, 30, 5, 7);
        DataSet data = new DataSet(p.trainFeatures(), Nd4j.createFromArray(p.trainY()).reshape(-1, 1));

        MultiLayerNetwork scaled = Student.build(d, m, 0.0, eta);
        Student.initSymmetric(scaled, tau, new Random(8));
        MultiLayerNetwork unit = Student.build(d, m, 0.0, tau * tau * eta);
        Student.initSymmetric(unit, 1.0, new Random(8));
        MultiLayerNetwork lazy = LazyWrapper.wrap(unit, tau * tau);

        for (int t = 0; t < steps; t++) {
            scaled.fit(data);
            lazy.fit(data);
        }
        INDArray w = scaled.params().dup();
        INDArray u = LazyWrapper.lazyLayer(lazy).trainable().dup();
        INDArray u0 = LazyWrapper.lazyLayer(lazy).initial().dup();
        double moved = u.sub(u0).norm2Number().doubleValue();
        assertTrue(moved > 1e-3, "training must move the parameters, moved " + moved);
        double err = w.div(tau).sub(u).norm2Number().doubleValue();
        assertTrue(err < 1e-10 * u.norm2Number().doubleValue(), "w/τ vs u: " + err);
    }
}
