package io.github.widenet.internal.norm;

import io.github.widenet.internal.tangent.UnsupportedLayerException;
import io.github.widenet.internal.wrap.GraphConfigs;
import io.github.widenet.layers.BatchNormMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.function.Function;

/**
 * Puts a wrapped network's BatchNormalization layers in one {@link BatchNormMode}: each DL4J BatchNormalization of the
 * logits network is replaced by {@link RunningStatsBatchNormalization} (INFERENCE) or {@link BatchStatsBatchNormalization}
 * (TRAINING) with the same settings and the same parameter layout, so h(w) and h(w0), the tangent and the backprop all
 * compute the same function.
 */
public final class BatchNormVariants {

    private BatchNormVariants() {
    }

    /**
     * A copy of {@code logits} with every BatchNormalization in {@code mode}; the configuration itself when it has none.
     *
     * @param describe names a vertex in messages (e.g. "layer 3 'bn'")
     */
    public static ComputationGraphConfiguration apply(ComputationGraphConfiguration logits, BatchNormMode mode,
                                                      Function<String, String> describe) {
        if (logits.getVertices().values().stream().noneMatch(BatchNormVariants::isPlainBatchNorm)) {
            return logits;
        }
        ComputationGraphConfiguration copy = GraphConfigs.copy(logits);
        for (Map.Entry<String, GraphVertex> e : copy.getVertices().entrySet()) {
            if (isPlainBatchNorm(e.getValue())) {
                var conf = ((LayerVertex) e.getValue()).getLayerConf();
                BatchNormalization bn = (BatchNormalization) conf.getLayer();
                if (bn.isLockGammaBeta()) {
                    throw new UnsupportedLayerException(describe.apply(e.getKey()) + " (BatchNormalization) uses "
                            + "lockGammaBeta(true), which the wrappers do not support; build it with lockGammaBeta(false)");
                }
                conf.setLayer(copyInto(bn, mode == BatchNormMode.TRAINING ? new BatchStatsBatchNormalization()
                        : new RunningStatsBatchNormalization()));
            }
        }
        return copy;
    }

    /** Whether {@code logits} normalises with minibatch statistics (its outputs are not per-example functions). */
    public static boolean usesBatchStatistics(ComputationGraphConfiguration logits) {
        return logits.getVertices().values().stream().anyMatch(v -> v instanceof LayerVertex
                && ((LayerVertex) v).getLayerConf().getLayer() instanceof BatchStatsBatchNormalization);
    }

    private static boolean isPlainBatchNorm(GraphVertex v) {
        return v instanceof LayerVertex && ((LayerVertex) v).getLayerConf().getLayer().getClass() == BatchNormalization.class;
    }

    /** Copies every field DL4J's BatchNormalization and its superclasses declare from {@code from} into {@code to}. */
    private static BatchNormalization copyInto(BatchNormalization from, BatchNormalization to) {
        for (Class<?> c = BatchNormalization.class; c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    f.set(to, f.get(from));
                } catch (IllegalAccessException ex) {
                    throw new IllegalStateException("cannot copy BatchNormalization field " + f.getName(), ex);
                }
            }
        }
        return to;
    }

    /** Zeroes the gradient views of the running statistics (mean, variance or log10 std) of a batch-normalization layer. */
    static void zeroRunningStatistics(Map<String, INDArray> gradientViews) {
        for (String key : new String[]{BatchNormalizationParamInitializer.GLOBAL_MEAN,
                BatchNormalizationParamInitializer.GLOBAL_VAR, BatchNormalizationParamInitializer.GLOBAL_LOG_STD}) {
            INDArray view = gradientViews.get(key);
            if (view != null) {
                view.assign(0);
            }
        }
    }
}
