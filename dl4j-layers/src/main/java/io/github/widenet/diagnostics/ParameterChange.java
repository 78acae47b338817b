package io.github.widenet.diagnostics;

import io.github.widenet.internal.wrap.ParamLayout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Relative parameter change ‖w − w0‖/‖w0‖ (Euclidean norms), in total and per layer (parameters grouped by the layer
 * name before the last '_' of their key). For lazy training it shrinks like 1/α; for a network trained normally it is O(1)
 * for narrow nets.
 *
 * @param total    over all parameters
 * @param perLayer layer name → relative change of that layer's parameters
 */
public record ParameterChange(double total, Map<String, Double> perLayer) {

    /** For a wrapped network (stored w0) or a plain one whose w0 was snapshotted. */
    public static ParameterChange of(UnderlyingNetwork net) {
        INDArray w0 = net.initial();
        if (w0 == null) {
            throw new IllegalStateException("no initial parameters: call snapshotInitial() on the plain network first");
        }
        return between(net.current(), w0, net.layout());
    }

    static ParameterChange between(INDArray w, INDArray w0, ParamLayout layout) {
        Map<String, double[]> sums = new LinkedHashMap<>();     // layer → {‖w − w0‖², ‖w0‖²}
        INDArray fw = w.reshape(w.length());
        INDArray f0 = w0.reshape(w0.length());
        for (int i = 0; i < layout.keys().size(); i++) {
            String key = layout.keys().get(i);
            String layer = ParamLayout.vertexOf(key);
            long from = layout.offset(i);
            long to = from + layout.length(i);
            INDArray a = fw.get(NDArrayIndex.interval(from, to));
            INDArray b = f0.get(NDArrayIndex.interval(from, to));
            double diff = a.sub(b).norm2Number().doubleValue();
            double base = b.norm2Number().doubleValue();
            double[] s = sums.computeIfAbsent(layer, k -> new double[2]);
            s[0] += diff * diff;
            s[1] += base * base;
        }
        double num = 0;
        double den = 0;
        Map<String, Double> per = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            num += e.getValue()[0];
            den += e.getValue()[1];
            per.put(e.getKey(), ratio(e.getValue()[0], e.getValue()[1]));
        }
        return new ParameterChange(ratio(num, den), per);
    }

    private static double ratio(double squaredDiff, double squaredBase) {
        return squaredBase == 0 ? (squaredDiff == 0 ? 0 : Double.POSITIVE_INFINITY)
                : Math.sqrt(squaredDiff / squaredBase);
    }
}
