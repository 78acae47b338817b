package io.github.widenet.cifar;

import io.github.widenet.bench.StepTimer;
import io.github.widenet.cifar.model.Vgg;
import io.github.widenet.nd4j.OneDnn;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * VGG-11 training throughput on this machine (images/s, SGD with momentum, float32, random 32×32×3 batches), for the
 * requested width divisors and batch sizes. Prints which native build ND4J loaded and whether DL4J's convolution layers
 * use a oneDNN helper.
 */
@Command(name = "cifar-bench", mixinStandardHelpOptions = true,
        description = "VGG-11 training images/s for width divisors and batch sizes")
public final class CifarBench implements Callable<Integer> {

    @Option(names = "--divisors", split = ",", defaultValue = "4,1", description = "width divisors (default: ${DEFAULT-VALUE})")
    List<Integer> divisors;

    @Option(names = "--batches", split = ",", defaultValue = "64", description = "batch sizes (default: ${DEFAULT-VALUE})")
    List<Integer> batchSizes;

    @Option(names = "--seconds", defaultValue = "20", description = "seconds timed per configuration (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--ntk", description = "NTK-parameterized VGG")
    boolean ntk;

    public static void main(String[] args) {
        OneDnn.configure();
        System.exit(new CommandLine(new CifarBench()).execute(args));
    }

    @Override
    public Integer call() {
        OneDnn.verify();
        System.out.println("ND4J: " + OneDnn.describe());
        System.out.printf(Locale.ROOT, "%-28s %6s %12s %14s%n", "model", "batch", "images/s", "conv helper");
        for (int divisor : divisors) {
            for (int batch : batchSizes) {
                Vgg.Spec spec = Vgg.Spec.vgg11(divisor, ntk, 1);
                MultiLayerNetwork net = new MultiLayerNetwork(Vgg.configuration(spec, new Nesterovs(0.01, 0.9)));
                net.init();
                List<DataSet> data = batches(batch, 2);
                double perStep = StepTimer.secondsPerStep(net, data, 2, 3, seconds);
                System.out.printf(Locale.ROOT, "%-28s %6d %12.1f %14s%n", spec.describe(), batch, batch / perStep,
                        helperName(net));
            }
        }
        return 0;
    }

    static String helperName(MultiLayerNetwork net) {
        for (Layer l : net.getLayers()) {
            if (l instanceof ConvolutionLayer) {
                Object helper = ((ConvolutionLayer) l).getHelper();
                return helper == null ? "none (im2col)" : helper.getClass().getSimpleName();
            }
        }
        return "-";
    }

    static List<DataSet> batches(int batch, int count) {
        List<DataSet> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            INDArray x = Nd4j.randn(DataType.FLOAT, batch, 3, 32, 32);
            INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
            for (int r = 0; r < batch; r++) {
                y.putScalar(r, (r + i) % 10, 1f);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }
}
