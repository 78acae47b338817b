package io.github.widenet.ntk;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * The result of {@link NtkRegression#fit}: the coefficients a of (Θ + λI)a = r and θ = Jᵀa, so that the kernel
 * regressor is
 * <pre>
 *     f(x) = h(w0, x) + J(w0, x)·θ = h(w0, x) + Σ_i Θ(x, x_i)·a_i        (centred: without h(w0, x))
 * </pre>
 * — one forward pass and one JVP per minibatch of new inputs, never a kernel row.
 */
public final class NtkSolution {

    /** Why the solver stopped. */
    public enum StopReason {
        /** The relative residual reached the tolerance. */
        TOLERANCE,
        /** The iteration cap was reached first. */
        MAX_ITERATIONS,
        /** A listener asked to stop. */
        LISTENER
    }

    private final JacobianProducts jacobian;
    private final INDArray theta;
    private final INDArray coefficients;
    private final boolean centred;
    private final StopReason stopReason;
    private final List<NtkProgress> history;

    NtkSolution(JacobianProducts jacobian, INDArray theta, INDArray coefficients, boolean centred, StopReason stopReason,
                List<NtkProgress> history) {
        this.jacobian = jacobian;
        this.theta = theta;
        this.coefficients = coefficients;
        this.centred = centred;
        this.stopReason = stopReason;
        this.history = List.copyOf(history);
    }

    /** f(x) for a minibatch of features, [batch, K] in double. */
    public INDArray predict(INDArray features) {
        JacobianProducts.Point p = jacobian.at(features);
        INDArray f = p.jvp(theta);
        return centred ? f : f.addi(p.logits());
    }

    /** f(x) for every example of {@code data} in order, [n, K] in double. */
    public INDArray predict(DataSetIterator data) {
        List<INDArray> rows = new ArrayList<>();
        if (data.resetSupported()) {
            data.reset();
        }
        while (data.hasNext()) {
            rows.add(predict(data.next().getFeatures()));
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the iterator gave no examples to predict");
        }
        return Nd4j.concat(0, rows.toArray(new INDArray[0]));
    }

    /** Share of the examples of {@code data} whose largest logit is the targets' largest (K = 1: sign agreement). */
    public double accuracy(DataSetIterator data) {
        long right = 0;
        long n = 0;
        if (data.resetSupported()) {
            data.reset();
        }
        while (data.hasNext()) {
            DataSet b = data.next();
            right += NtkRegression.correct(predict(b.getFeatures()), b.getLabels().castTo(DataType.DOUBLE));
            n += b.getFeatures().size(0);
        }
        if (n == 0) {
            throw new IllegalArgumentException("the iterator gave no examples to evaluate");
        }
        return (double) right / n;
    }

    /** The coefficients a, [n, K] (a copy). */
    public INDArray coefficients() {
        return coefficients.dup();
    }

    /** θ = Jᵀa over the parameters (a copy). */
    public INDArray parameterDirection() {
        return theta.dup();
    }

    public StopReason stopReason() {
        return stopReason;
    }

    /** Every iteration's progress (index 0 = the start), including those before a resumption. */
    public List<NtkProgress> history() {
        return history;
    }

    /** The last iteration's progress. */
    public NtkProgress last() {
        return history.get(history.size() - 1);
    }
}
