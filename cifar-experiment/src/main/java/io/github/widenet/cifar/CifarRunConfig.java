package io.github.widenet.cifar;

import io.github.widenet.cifar.model.Architecture;
import io.github.widenet.layers.BatchNormMode;

import io.github.widenet.cifar.model.Vgg;
import org.deeplearning4j.nn.conf.CNN2DFormat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that determines a CIFAR-10 run's numbers (a resumed run must share it with the original).
 *
 * @param lrDecay β in the per-epoch step η_t = η0/(1 + β·t)
 * @param layout  the activation layout new networks are built in ({@link io.github.widenet.cifar.model.VggLayout}); it
 *                changes float rounding only, and a resumed mode keeps the layout of its checkpoint
 * @param init    the convolutions' initialisation (He or Xavier normal, zero biases)
 * @param loss    cross-entropy or the squared loss on one-hot targets
 * @param momentumKind heavy-ball or Nesterov momentum μ = {@code momentum}
 * @param architecture VGG-11 or ResNet-18 ({@link Architecture})
 * @param batchNormMode what the wrapped modes' BatchNormalization layers compute for h(w) and h(w0) alike (ResNet only;
 *                      the plain mode trains with DL4J's own BatchNorm: minibatch statistics, running averages at test)
 */
public record CifarRunConfig(int widthDivisor, boolean ntk, List<Mode> modes, int epochs, int batchSize, double lr,
                             double lrDecay, double momentum, boolean augment, int trainSubset, int testSubset,
                             int trainEvalSubset, long seed, CNN2DFormat layout, Vgg.Init init, Vgg.Loss loss,
                             Momentum momentumKind, Architecture architecture, BatchNormMode batchNormMode) {

    /** VGG-11 (the runs before --model). */
    public CifarRunConfig(int widthDivisor, boolean ntk, List<Mode> modes, int epochs, int batchSize, double lr,
                          double lrDecay, double momentum, boolean augment, int trainSubset, int testSubset,
                          int trainEvalSubset, long seed, CNN2DFormat layout, Vgg.Init init, Vgg.Loss loss,
                          Momentum momentumKind) {
        this(widthDivisor, ntk, modes, epochs, batchSize, lr, lrDecay, momentum, augment, trainSubset, testSubset,
                trainEvalSubset, seed, layout, init, loss, momentumKind, Architecture.VGG11, BatchNormMode.INFERENCE);
    }

    /** He init, cross-entropy and Nesterov momentum (the runs before the official recipe's options). */
    public CifarRunConfig(int widthDivisor, boolean ntk, List<Mode> modes, int epochs, int batchSize, double lr,
                          double lrDecay, double momentum, boolean augment, int trainSubset, int testSubset,
                          int trainEvalSubset, long seed, CNN2DFormat layout) {
        this(widthDivisor, ntk, modes, epochs, batchSize, lr, lrDecay, momentum, augment, trainSubset, testSubset,
                trainEvalSubset, seed, layout, Vgg.Init.HE, Vgg.Loss.CE, Momentum.NESTEROV);
    }

    public CifarRunConfig {
        if (modes.isEmpty()) {
            throw new IllegalArgumentException("no training modes");
        }
        if (epochs < 1 || batchSize < 1 || !(lr > 0) || lrDecay < 0 || momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("need epochs >= 1, batch >= 1, lr > 0, decay >= 0, 0 <= momentum < 1; got "
                    + epochs + ", " + batchSize + ", " + lr + ", " + lrDecay + ", " + momentum);
        }
        modes = List.copyOf(modes);
        java.util.Objects.requireNonNull(layout, "layout");
        java.util.Objects.requireNonNull(init, "init");
        java.util.Objects.requireNonNull(loss, "loss");
        java.util.Objects.requireNonNull(momentumKind, "momentumKind");
        java.util.Objects.requireNonNull(architecture, "architecture");
        java.util.Objects.requireNonNull(batchNormMode, "batchNormMode");
        if (ntk && architecture != Architecture.VGG11) {
            throw new IllegalArgumentException("the NTK parameterization is built for VGG-11 only, not "
                    + architecture.label());
        }
    }

    /** The same configuration with another seed (another w0 and batch order). */
    public CifarRunConfig withSeed(long other) {
        return new CifarRunConfig(widthDivisor, ntk, modes, epochs, batchSize, lr, lrDecay, momentum, augment,
                trainSubset, testSubset, trainEvalSubset, other, layout, init, loss, momentumKind, architecture,
                batchNormMode);
    }

    /** The VGG specification (for {@link Architecture#VGG11}; {@link #describeModel} names either network). */
    public Vgg.Spec model() {
        return Vgg.Spec.vgg11(widthDivisor, ntk, seed).withRecipe(init, loss);
    }

    /** e.g. "VGG-11/4, Xavier init, squared loss" or "ResNet-18/4 (BatchNorm TRAINING in the wrapped modes)". */
    public String describeModel() {
        if (architecture == Architecture.VGG11) {
            return model().describe();
        }
        return architecture.label() + (widthDivisor == 1 ? "" : "/" + widthDivisor) + " (BatchNorm in the wrapped "
                + "modes: " + batchNormMode + ")" + (init == Vgg.Init.XAVIER ? ", Xavier init" : "")
                + (loss == Vgg.Loss.MSE ? ", squared loss" : "");
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", describeModel());
        m.put("architecture", architecture.label());
        if (architecture.hasBatchNorm()) {
            m.put("batchNormMode", batchNormMode.name() + " in the wrapped modes (standard, lazy, linearized); plain "
                    + "trains with DL4J's BatchNormalization (minibatch statistics in training, running averages at "
                    + "test)");
        }
        m.put("widthDivisor", widthDivisor);
        m.put("ntkParameterization", ntk);
        m.put("activationLayout", layout.name());
        m.put("modes", modes.stream().map(Mode::label).toList());
        m.put("epochs", epochs);
        m.put("batchSize", batchSize);
        m.put("lr", lr);
        m.put("lrSchedule", "lr / (1 + " + lrDecay + " * epoch)");
        m.put("momentum", momentum + " (" + momentumKind.option() + ")");
        m.put("init", init == Vgg.Init.XAVIER ? "Xavier normal (gain 1), zero biases"
                : "He normal (ReLU convolutions), Xavier classifier, zero biases");
        m.put("loss", lossFormula(loss));
        m.put("augment", augment);
        m.put("trainSubset", trainSubset);
        m.put("testSubset", testSubset);
        m.put("trainEvalSubset", trainEvalSubset);
        m.put("seed", seed);
        return m;
    }

    /** The training objective of each mode, as stated in the manifest and the report. */
    public static String lossFormula(Vgg.Loss loss) {
        return loss == Vgg.Loss.MSE
                ? "squared loss on one-hot targets y: plain (1/K) sum_k (h_k(w) - y_k)^2; centred "
                + "(1/alpha^2) (1/K) sum_k (alpha (h_k(w) - h_k(w0)) - y_k)^2; linearized (1/K) sum_k "
                + "((J(w0)(w - w0))_k - y_k)^2; K = 10, averaged over the batch"
                : "cross-entropy of softmax: plain CE(h(w), y); centred CE(alpha (h(w) - h(w0)), y) / alpha^2; "
                + "linearized CE(J(w0)(w - w0), y)";
    }
}
