package io.github.widenet.cifar;

import io.github.widenet.cifar.model.Vgg;
import io.github.widenet.cifar.model.VggLayout;
import io.github.widenet.nd4j.OneDnn;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.Nesterovs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Profile of one VGG-11 training step (see {@link StepProfile}): per-layer forward and backward milliseconds and the rest
 * of the step (updater, workspaces, score), for a width divisor and batch size. The PyTorch counterpart is
 * {@code cifar-experiment/peer/torch_profile.py}.
 */
@Command(name = "cifar-profile", mixinStandardHelpOptions = true,
        description = "per-layer time of one VGG-11 training step")
public final class CifarProfile implements Callable<Integer> {

    @Option(names = "--divisor", defaultValue = "4", description = "width divisor (default: ${DEFAULT-VALUE})")
    int divisor;

    @Option(names = "--batch", defaultValue = "64", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--layout", defaultValue = "nhwc", paramLabel = "nhwc|nchw", description = "activation layout "
            + "(default: ${DEFAULT-VALUE}, as the CIFAR experiment)")
    String layout;

    @Option(names = "--reps", defaultValue = "10", description = "timed repetitions (default: ${DEFAULT-VALUE})")
    int reps;

    public static void main(String[] args) {
        OneDnn.configure();
        System.exit(io.github.widenet.train.CliErrors.configure(new CommandLine(new CifarProfile()), "cifar-profile")
                .execute(args));
    }

    @Override
    public Integer call() {
        if (divisor < 1 || batch < 1 || reps < 1) {
            System.err.println("cifar-profile: --divisor, --batch and --reps must be >= 1");
            return 2;
        }
        CNN2DFormat format;
        try {
            format = VggLayout.parse("--layout", layout);
        } catch (IllegalArgumentException e) {
            System.err.println("cifar-profile: " + e.getMessage());
            return 2;
        }
        OneDnn.verify();
        System.out.println("ND4J: " + OneDnn.describe());
        Vgg.Spec spec = Vgg.Spec.vgg11(divisor, false, 1);
        MultiLayerNetwork net = new MultiLayerNetwork(Vgg.configuration(spec, new Nesterovs(0.01, 0.9), format));
        net.init();
        StepProfile.Result r = StepProfile.of(net, CifarBench.batches(batch, 1, format).get(0), 3, reps);
        System.out.printf(Locale.ROOT, "%s %s, batch %d: %.1f ms per step (%.0f images/s)%n", spec.describe(), format,
                batch, r.stepMs(), 1000.0 * batch / r.stepMs());
        System.out.printf(Locale.ROOT, "%-28s %10s %10s %8s%n", "layer", "fwd ms", "bwd ms", "% step");
        for (StepProfile.Entry e : r.layers()) {
            System.out.printf(Locale.ROOT, "%-28s %10.2f %10.2f %7.1f%%%n", e.layer(), e.forwardMs(), e.backwardMs(),
                    100 * (e.forwardMs() + e.backwardMs()) / r.stepMs());
        }
        System.out.printf(Locale.ROOT, "%-28s %21.2f %7.1f%%%n", "rest (updater, workspaces)", r.otherMs(),
                100 * r.otherMs() / r.stepMs());
        return 0;
    }
}
