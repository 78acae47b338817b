package io.github.widenet.train;

import io.github.widenet.layers.runtime.NonFiniteCheck;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Stops training at the first non-finite value instead of letting DL4J carry NaN on silently: after every iteration it
 * checks the score and every parameter array of every layer, and {@link #checkInput} checks a minibatch before it is
 * fitted. The error ({@link TrainingStoppedException}) names the task, every layer (index and name) and parameter key holding
 * NaN or ±Inf (one bad value spreads to the other layers within the same update), the iteration, or the batch. Cost: one
 * reduction (a norm) per parameter array — one pass over the parameters; the exact NaN/Inf search runs only when that
 * norm is not finite. For very wide networks that pass is not small (a sizeable share of the training step for the
 * 196 M parameters of a 784 → 250,000 block), so {@link #parameterBudget(long)} spreads it out: the parameters are then
 * checked every ⌈P / budget⌉ iterations, and at once whenever the score is not finite; a non-finite parameter that leaves
 * the score finite is then reported up to that many iterations late (the message says when the last clean check was).
 */
public final class NonFiniteGuard extends BaseTrainingListener {

    private final String task;
    private final String advice;
    private long budget = Long.MAX_VALUE;
    private int lastCleanCheck = -1;

    /**
     * @param task   what is trained, for the message
     * @param advice what to do, e.g. "lower --eta (now 1e38), or pass --allow-non-finite to let DL4J continue"
     */
    public NonFiniteGuard(String task, String advice) {
        this.task = task;
        this.advice = advice;
    }

    /**
     * Checks at most about {@code parametersPerIteration} parameters' worth per iteration: all parameters every
     * ⌈P / budget⌉ iterations (P = the network's parameter count), and always when the score is not finite.
     */
    public NonFiniteGuard parameterBudget(long parametersPerIteration) {
        if (parametersPerIteration < 1) {
            throw new IllegalArgumentException("parameter budget must be >= 1, got " + parametersPerIteration);
        }
        this.budget = parametersPerIteration;
        return this;
    }

    /** Iterations between parameter checks for a model of {@code numParams} parameters (1 without a budget). */
    public long checkInterval(long numParams) {
        return Math.max(1, (numParams + budget - 1) / budget);
    }

    /** Throws when {@code features} holds NaN or ±Inf; {@code batch} describes the minibatch (e.g. "step 17"). */
    public void checkInput(INDArray features, String batch) {
        if (!Double.isFinite(features.sumNumber().doubleValue())) {
            String kind = kind(features);
            if (kind != null) {
                throw new TrainingStoppedException(task + ": the input of " + batch + " contains " + kind
                        + " values; check the data. " + advice);
            }
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        double score = model.score();
        long interval = checkInterval(model.numParams());
        if (Double.isFinite(score) && (iteration + 1) % interval != 0) {
            return;
        }
        List<String> bad = new ArrayList<>();
        for (Layer layer : layers(model)) {
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                INDArray a = p.getValue();
                if (a.length() == 0 || Double.isFinite(a.norm2Number().doubleValue())) {
                    continue;
                }
                String kind = kind(a);
                if (kind != null) {
                    String name = layer.conf() == null || layer.conf().getLayer() == null ? null
                            : layer.conf().getLayer().getLayerName();
                    bad.add("layer " + layer.getIndex() + (name == null ? "" : " (" + name + ")") + " '" + p.getKey()
                            + "' (" + kind + ")");
                }
            }
        }
        if (!bad.isEmpty()) {
            String since = interval == 1 ? "" : String.format(Locale.ROOT,
                    " (parameters are checked every %d iterations; last clean check after iteration %s)",
                    interval, lastCleanCheck < 0 ? "none" : String.valueOf(lastCleanCheck));
            throw new TrainingStoppedException(String.format(Locale.ROOT, "%s: non-finite parameters after iteration %d "
                    + "(epoch %d, score %s)%s: %s. %s", task, iteration, epoch, score, since, String.join(", ", bad),
                    advice));
        }
        lastCleanCheck = iteration;
        if (!Double.isFinite(score)) {
            throw new TrainingStoppedException(String.format(Locale.ROOT, "%s: the loss is %s at iteration %d (epoch %d)"
                    + " while all parameters are finite. %s", task, score, iteration, epoch, advice));
        }
    }

    private static Layer[] layers(Model model) {
        if (model instanceof MultiLayerNetwork m) {
            return m.getLayers();
        }
        if (model instanceof ComputationGraph g) {
            return g.getLayers();
        }
        return model instanceof Layer l ? new Layer[]{l} : new Layer[0];
    }

    /** "NaN", "infinite", "NaN and infinite", or null when all values are finite (a sum or norm that overflowed). */
    static String kind(INDArray a) {
        long[] counts = NonFiniteCheck.counts(a);            // the library's layers count the same way
        boolean nan = counts[0] > 0;
        boolean inf = counts[1] > 0;
        return nan && inf ? "NaN and infinite" : nan ? "NaN" : inf ? "infinite" : null;
    }
}
