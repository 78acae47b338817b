package io.github.widenet.ntk;

import io.github.widenet.linearized.RecurrentNets;
import io.github.widenet.testing.DoublePrecision;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The empirical NTK Θ = J Jᵀ of recurrent and embedding networks ({@link RecurrentNets}: SimpleRnn, LSTM, LastTimeStep,
 * NWC, embeddings) against a Jacobian built by central finite differences of DL4J's forward pass, and NTK regression on
 * the sequence-classification head LSTM → LastTimeStep(LSTM) → OutputLayer against the explicit kernel solve.
 */
@ExtendWith(DoublePrecision.class)
class RecurrentNtkTest {

    /** Three nets (the NTK runs the tangent rules the linearized tests check on all of them). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lastStepSimpleRnn", "lstmClassifier", "embedding"})
    void gramAndCrossMatchFiniteDifferences(String which) {
        MultiLayerNetwork net = RecurrentNets.byName(which, 1.0);
        INDArray x = RecurrentNets.input(which, 5, 3);
        INDArray x2 = RecurrentNets.input(which, 6, 2);
        double[][] j = EmpiricalNtkTest.finiteDifferenceJacobian(net, x, 1e-6);
        double[][] j2 = EmpiricalNtkTest.finiteDifferenceJacobian(net, x2, 1e-6);
        EmpiricalNtk ntk = EmpiricalNtk.of(net, 2);
        EmpiricalNtkTest.assertClose(EmpiricalNtkTest.gramOf(j, j), ntk.gram(x, EmpiricalNtk.Output.FULL), 1e-7,
                which + " FULL gram");
        EmpiricalNtkTest.assertClose(EmpiricalNtkTest.gramOf(j, j2), ntk.cross(x, x2, EmpiricalNtk.Output.FULL), 1e-7,
                which + " FULL cross");
        double[][] expected = EmpiricalNtkTest.gramOf(j, j);
        double[][] actual = ntk.gram(x, EmpiricalNtk.Output.FULL).toDoubleMatrix();
        double err = 0, scale = 0;
        for (int a = 0; a < expected.length; a++) {
            for (int b = 0; b < expected.length; b++) {
                err = Math.max(err, Math.abs(expected[a][b] - actual[a][b]));
                scale = Math.max(scale, Math.abs(expected[a][b]));
            }
        }
        System.out.printf("%s: NTK gram max error %.3g vs max entry %.3g%n", which, err, scale);
    }

    /** NTK regression (ridge 0.1) on the LSTM classifier equals h0(x') + Θ(x', X)(Θ(X, X) + λI)⁻¹(Y − h0(X)). */
    @Test
    void regressionOnTheLstmClassifierMatchesTheExplicitSolve() {
        MultiLayerNetwork net = RecurrentNets.lstmClassifier(0.1);
        double lambda = 0.1;
        INDArray x = RecurrentNets.sequences(21, 6, false);
        INDArray xt = RecurrentNets.sequences(23, 3, false);
        INDArray y = NtkRegressionTest.targets(22, 6, 2);
        NtkSolution fit = NtkRegression.builder().ridge(lambda).tolerance(1e-12).maxIterations(400).build()
                .fit(net, NtkRegressionTest.iterator(x, y, 2));
        EmpiricalNtk ntk = EmpiricalNtk.of(net, 2);
        double[][] gram = ntk.gram(x, EmpiricalNtk.Output.FULL).toDoubleMatrix();
        for (int i = 0; i < gram.length; i++) {
            gram[i][i] += lambda;
        }
        double[] r = y.sub(net.output(x)).reshape(-1).toDoubleVector();
        INDArray a = Nd4j.createFromArray(NtkRegressionTest.gaussianSolve(gram, r)).reshape(-1, 1);
        INDArray expected = net.output(xt).add(ntk.cross(xt, x, EmpiricalNtk.Output.FULL).mmul(a).reshape(3, 2));
        NtkRegressionTest.assertRelativeClose(expected, fit.predict(xt), 1e-8, "LSTM classifier predictions");
        assertTrue(expected.sub(net.output(xt)).amaxNumber().doubleValue() > 1e-3, "the fit moves the predictions");
    }
}
