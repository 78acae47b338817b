import io.github.widenet.cifar.CifarBench;
import io.github.widenet.cifar.model.Vgg;
import io.github.widenet.lazy.LazyWrapper;
import io.github.widenet.linearized.LinearizedWrapper;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Nesterovs;
import java.util.List;
import java.lang.reflect.*;

public class LinProf {
    static String PROP = System.getProperty("ab.prop", "widenet.kernels.disable"); static String ON = System.getProperty("ab.on", "false"); static String OFF = System.getProperty("ab.off", "true");
    public static void main(String[] a) throws Exception {
        io.github.widenet.nd4j.OneDnn.configure();
        String mode = a[0]; double seconds = Double.parseDouble(a[1]); int batch = a.length > 2 ? Integer.parseInt(a[2]) : 64;
        Vgg.Spec spec = Vgg.Spec.vgg11(4, false, 1);
        MultiLayerNetwork net = new MultiLayerNetwork(Vgg.configuration(spec, new Nesterovs(0.01, 0.9), CNN2DFormat.NHWC));
        net.init();
        Method m = CifarBench.class.getDeclaredMethod("batches", int.class, int.class, CNN2DFormat.class);
        m.setAccessible(true);
        @SuppressWarnings("unchecked") List<DataSet> data = (List<DataSet>) m.invoke(null, batch, 2, CNN2DFormat.NHWC);
        Model model = switch (mode) {
            case "plain" -> net;
            case "lazy" -> LazyWrapper.wrap(net, 100);
            case "linearized" -> LinearizedWrapper.wrap(net);
            default -> throw new IllegalArgumentException(mode);
        };
        if (a.length > 3) { ab(net, model, data, seconds, Integer.parseInt(a[3])); return; }
        for (int i = 0; i < 20; i++) fit(model, data.get(i % 2));
        long t0 = System.nanoTime(); int steps = 0;
        while (System.nanoTime() - t0 < seconds * 1e9) { fit(model, data.get(steps % 2)); steps++; }
        double ms = (System.nanoTime() - t0) / 1e6 / steps;
        System.out.printf("%s: %d steps, %.2f ms/step%n", mode, steps, ms);
    }
    static void ab(Model plain, Model model, List<DataSet> data, double seconds, int rounds) {
        for (int i = 0; i < 30; i++) { fit(model, data.get(i % 2)); fit(plain, data.get(i % 2)); }
        System.setProperty(PROP, OFF);
        for (int i = 0; i < 30; i++) fit(model, data.get(i % 2));
        double[] on = new double[rounds], off = new double[rounds], pl = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            System.setProperty(PROP, ON); on[r] = time(model, data, seconds);
            System.setProperty(PROP, OFF); off[r] = time(model, data, seconds);
            pl[r] = time(plain, data, seconds);
            System.out.printf("round %d: plain %.2f ms, kernels on %.2f ms (%.3fx plain), off %.2f ms (%.3fx plain); on/off %.3f%n", r, pl[r], on[r], on[r]/pl[r], off[r], off[r]/pl[r], on[r]/off[r]);
        }
    }
    static double time(Model m, List<DataSet> data, double seconds) {
        long t0 = System.nanoTime(); int steps = 0;
        while (System.nanoTime() - t0 < seconds * 1e9) { fit(m, data.get(steps % 2)); steps++; }
        return (System.nanoTime() - t0) / 1e6 / steps;
    }
    static void fit(Model m, DataSet d) {
        if (m instanceof MultiLayerNetwork n) n.fit(d); else ((ComputationGraph) m).fit(d);
    }
}
