package io.github.widenet.theory.teacher;

import io.github.widenet.ntk.EmpiricalNtk;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scale sweep's kernel line computed matrix-free ({@link NtkInterpolant}) equals the eigendecomposition route
 * ({@link KernelRegression} on the explicit {@link EmpiricalNtk} kernel) on a small student.
 */
class NtkInterpolantTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Test
    void matrixFreeInterpolantEqualsTheEigendecompositionRoute() {
        int d = 5, m = 20, nTrain = 30, nTest = 40;
        Problem p = Problem.generate(d, 2, nTrain, nTest, 3);
        MultiLayerNetwork net = Student.build(d, m, 0.0, 0.1);
        Student.initSymmetric(net, 1.0, new Random(4));

        INDArray all = Nd4j.concat(0, p.trainFeatures(), p.testFeatures());
        INDArray theta = EmpiricalNtk.of(net, 16).excluding(Student.FROZEN).gram(all, EmpiricalNtk.Output.TRACE);
        KernelRegression kr = new KernelRegression(
                theta.get(NDArrayIndex.interval(0, nTrain), NDArrayIndex.interval(0, nTrain)).dup(),
                theta.get(NDArrayIndex.interval(nTrain, nTrain + nTest), NDArrayIndex.interval(0, nTrain)).dup());
        double eigenTest = Losses.halfMse(kr.predictTest(p.trainY(), 0.1, -1), p.testY());

        NtkInterpolant cg = NtkInterpolant.of(net, p);
        assertTrue(cg.residual() <= 1.01 * NtkInterpolant.TOLERANCE, "residual " + cg.residual());
        assertTrue(cg.trainLoss() < 1e-15, "train loss " + cg.trainLoss());
        assertEquals(eigenTest, cg.testLoss(), 1e-8 * eigenTest, "test loss of the interpolant");
    }
}
