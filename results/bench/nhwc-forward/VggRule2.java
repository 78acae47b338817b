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

/** Interleaved A/B of VGG-11 steps: NCHW, and NHWC with the forward rule fixed to auto / nhwc / blocked at build. */
public class VggRule2 {
    public static void main(String[] a) {
        OneDnn.configure();
        int div = Integer.parseInt(a[0]), batch = Integer.parseInt(a[1]), rounds = Integer.parseInt(a[2]);
        double secs = Double.parseDouble(a[3]);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, 32, 32);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
        for (int i = 0; i < batch; i++) y.putScalar(i, i % 10, 1f);
        Map<String, MultiLayerNetwork> nets = new LinkedHashMap<>();
        Map<String, DataSet> data = new LinkedHashMap<>();
        for (String v : List.of(a.length > 4 ? a[4].split(",") : new String[]{"NCHW", "NHWC nhwc", "NHWC blocked"})) {
            CNN2DFormat f = v.equals("NCHW") ? CNN2DFormat.NCHW : CNN2DFormat.NHWC;
            if (!v.equals("NCHW")) System.setProperty("widenet.conv.nhwcForward", v.substring(5));
            MultiLayerNetwork n = new MultiLayerNetwork(Vgg.configuration(Vgg.Spec.vgg11(div, false, 1), new Nesterovs(0.01, 0.9), f));
            n.init();
            DataSet d = new DataSet(VggLayout.arrange(x, f), y);
            for (int i = 0; i < 3; i++) n.fit(d);      // primitives built now, under this property
            System.clearProperty("widenet.conv.nhwcForward");
            nets.put(v, n); data.put(v, d);
        }
        Map<String, List<Double>> t = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (String v : nets.keySet()) {
                MultiLayerNetwork n = nets.get(v); DataSet d = data.get(v);
                n.fit(d);
                int cnt = 0; long t0 = System.nanoTime();
                while (System.nanoTime() - t0 < secs * 1e9) { n.fit(d); cnt++; }
                t.computeIfAbsent(v, k -> new ArrayList<>()).add(batch * cnt / ((System.nanoTime() - t0) / 1e9));
            }
        }
        System.out.printf("VGG-11/%d batch %d, %d interleaved rounds of %.0f s (images/s):%n", div, batch, rounds, secs);
        t.forEach((k, v) -> { List<Double> s = new ArrayList<>(v); Collections.sort(s);
            StringBuilder b = new StringBuilder(); for (double q : v) b.append(String.format(Locale.ROOT, " %.1f", q));
            System.out.printf(Locale.ROOT, "  %-13s median %7.1f  rounds%s%n", k, s.get(s.size() / 2), b); });
        System.exit(0);
    }
}
