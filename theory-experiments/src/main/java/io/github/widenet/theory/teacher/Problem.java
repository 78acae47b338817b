package io.github.widenet.theory.teacher;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/**
 * One teacher–student problem: a random {@link Teacher} of m0 units in dimension d, n training and n' test points
 * uniform on the unit sphere, labels y = f*(x) without noise. Fully determined by its seed.
 */
public record Problem(Teacher teacher, double[][] trainX, double[] trainY, double[][] testX, double[] testY) {

    public static Problem generate(int d, int teacherUnits, int nTrain, int nTest, long seed) {
        Random rng = new Random(seed);
        Teacher t = Teacher.random(teacherUnits, d, rng);
        double[][] xtr = Sphere.sample(nTrain, d, rng);
        double[][] xte = Sphere.sample(nTest, d, rng);
        return new Problem(t, xtr, t.labels(xtr), xte, t.labels(xte));
    }

    public INDArray trainFeatures() {
        return Nd4j.createFromArray(trainX);
    }

    public INDArray testFeatures() {
        return Nd4j.createFromArray(testX);
    }

    /** Full-batch GD of a bias-free ReLU student on this problem (BLAS). */
    public ReferenceGd referenceGd() {
        return new ReferenceGd(trainX, trainY, testX, testY);
    }
}
