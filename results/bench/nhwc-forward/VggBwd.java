import io.github.widenet.cifar.model.Vgg;
import io.github.widenet.cifar.model.VggLayout;
import io.github.widenet.nd4j.OneDnn;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import java.util.*;

/** Interleaved A/B of VGG-11 NHWC steps with the backward rule (widenet.conv.backward) set per slice: auto vs direct. */
public class VggBwd {
    public static void main(String[] a) {
        OneDnn.configure();
        int div = Integer.parseInt(a[0]), batch = Integer.parseInt(a[1]), rounds = Integer.parseInt(a[2]);
        double secs = Double.parseDouble(a[3]);
        CNN2DFormat f = a.length > 4 && a[4].equals("nchw") ? CNN2DFormat.NCHW : CNN2DFormat.NHWC;
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, 32, 32);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
        for (int i = 0; i < batch; i++) y.putScalar(i, i % 10, 1f);
        DataSet d = new DataSet(VggLayout.arrange(x, f), y);
        Map<String, MultiLayerNetwork> nets = new LinkedHashMap<>();
        for (String v : List.of("auto", "direct")) {
            System.setProperty("widenet.conv.backward", v);
            MultiLayerNetwork n = new MultiLayerNetwork(Vgg.configuration(Vgg.Spec.vgg11(div, false, 1), new Nesterovs(0.01, 0.9), f));
            n.init();
            for (int i = 0; i < 5; i++) n.fit(d);
            nets.put(v, n);
        }
        Map<String, double[]> t = new LinkedHashMap<>();
        nets.keySet().forEach(k -> t.put(k, new double[rounds]));
        for (int r = 0; r < rounds; r++) {
            for (String v : nets.keySet()) {
                System.setProperty("widenet.conv.backward", v);
                MultiLayerNetwork n = nets.get(v);
                n.fit(d);
                int cnt = 0; long t0 = System.nanoTime();
                while (System.nanoTime() - t0 < secs * 1e9) { n.fit(d); cnt++; }
                t.get(v)[r] = batch * cnt / ((System.nanoTime() - t0) / 1e9);
            }
        }
        System.out.printf("VGG-11/%d %s batch %d, %d interleaved rounds of %.1f s (images/s), backward rule auto vs direct:%n", div, f, batch, rounds, secs);
        int wins = 0; double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) { ratio[r] = t.get("direct")[r] / t.get("auto")[r]; if (ratio[r] > 1) wins++; }
        for (String k : t.keySet()) { double[] s = t.get(k).clone(); Arrays.sort(s); System.out.printf(Locale.ROOT, "  %-7s median %7.1f  rounds %s%n", k, s[s.length / 2], Arrays.toString(t.get(k))); }
        double[] s = ratio.clone(); Arrays.sort(s);
        System.out.printf(Locale.ROOT, "  direct/auto per round: median %.3f, direct ahead in %d of %d%n", s[s.length / 2], wins, rounds);
        System.exit(0);
    }
}
