package io.github.widenet.cifar;

import io.github.widenet.bench.StepTimer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Where one training step of a MultiLayerNetwork spends its time: each layer's forward and backward pass (driven layer by
 * layer, without DL4J's workspaces, each timed on its own), and the rest of a real {@code fit} step — the updater,
 * workspaces, score and listeners — as the difference between a timed {@code fit} and the layers' sum. Medians over
 * repetitions.
 */
public final class StepProfile {

    /** One layer's median forward and backward time in ms. */
    public record Entry(String layer, double forwardMs, double backwardMs) {
    }

    /** The profile: per-layer entries, the median full step (ms) and the remainder not spent in the layers. */
    public record Result(List<Entry> layers, double stepMs) {
        public double layersMs() {
            return layers.stream().mapToDouble(e -> e.forwardMs() + e.backwardMs()).sum();
        }

        public double otherMs() {
            return stepMs - layersMs();
        }
    }

    private StepProfile() {
    }

    public static Result of(MultiLayerNetwork net, DataSet data, int warmup, int reps) {
        for (int i = 0; i < warmup; i++) {
            net.fit(data);
        }
        int n = net.getnLayers();
        double[][] fwd = new double[n][reps];
        double[][] bwd = new double[n][reps];
        double[] step = new double[reps];
        LayerWorkspaceMgr wsm = LayerWorkspaceMgr.noWorkspaces();
        for (int r = 0; r < reps; r++) {
            INDArray a = data.getFeatures();
            int batch = (int) a.size(0);
            for (int i = 0; i < n; i++) {
                InputPreProcessor p = net.getLayerWiseConfigurations().getInputPreProcess(i);
                long t0 = System.nanoTime();
                if (p != null) {
                    a = p.preProcess(a, batch, wsm);
                }
                a = net.getLayer(i).activate(a, true, wsm);
                fwd[i][r] = (System.nanoTime() - t0) / 1e6;
            }
            IOutputLayer out = (IOutputLayer) net.getLayer(n - 1);
            out.setLabels(data.getLabels());
            INDArray eps = null;
            for (int i = n - 1; i >= 0; i--) {
                long t0 = System.nanoTime();
                Pair<Gradient, INDArray> pg = net.getLayer(i).backpropGradient(eps, wsm);
                eps = pg.getSecond();
                InputPreProcessor p = net.getLayerWiseConfigurations().getInputPreProcess(i);
                if (p != null && eps != null) {
                    eps = p.backprop(eps, batch, wsm);
                }
                bwd[i][r] = (System.nanoTime() - t0) / 1e6;
            }
            long t0 = System.nanoTime();
            net.fit(data);
            step[r] = (System.nanoTime() - t0) / 1e6;
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Layer l = net.getLayer(i);
            String name = i + " " + l.conf().getLayer().getClass().getSimpleName();
            entries.add(new Entry(name, StepTimer.median(fwd[i]), StepTimer.median(bwd[i])));
        }
        return new Result(entries, StepTimer.median(step));
    }
}
