package io.github.widenet.lazy;

import io.github.widenet.layers.params.LayerWiring;
import io.github.widenet.wrap.EmbeddedNetworkLayer;
import io.github.widenet.wrap.EmbeddedNetworkParamInitializer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.Objects;

/**
 * Configuration of the lazy (scale-α, centred) model of a network h: output α·(h(w, x) − h(w0, x)), with w trainable and
 * w0 the frozen initial parameters, both stored in this layer (see {@link EmbeddedNetworkLayer}). Paired with a loss
 * divided by α² (see {@link LazyWrapper}), training follows Chizat–Oyallon–Bach's lazy dynamics. The frozen model's
 * outputs are cached per distinct input example (up to {@code cacheSize} examples; 0 disables the cache).
 */
public class LazyLayer extends EmbeddedNetworkLayer {

    private double alpha = 1.0;
    private int cacheSize = 1_000_000;

    /** For JSON deserialisation only. */
    public LazyLayer() {
    }

    public LazyLayer(ComputationGraphConfiguration logits, long nOut, double alpha, int cacheSize) {
        super(logits, nOut, "lazy");
        checkGradientNormalization(logits);
        setAlpha(alpha);
        setCacheSize(cacheSize);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> listeners, int layerIndex,
                                                       INDArray paramsView, boolean initializeParams,
                                                       DataType networkDataType) {
        return LayerWiring.wire(new LazyLayerRuntime(conf, networkDataType), conf, listeners, layerIndex, paramsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return EmbeddedNetworkParamInitializer.getInstance();
    }

    /** The scale α. */
    public double getAlpha() {
        return alpha;
    }

    public void setAlpha(double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite and > 0, got " + alpha);
        }
        this.alpha = alpha;
    }

    /** Maximum number of cached initial outputs (0 = no cache). */
    public int getCacheSize() {
        return cacheSize;
    }

    public void setCacheSize(int cacheSize) {
        if (cacheSize < 0) {
            throw new IllegalArgumentException("cacheSize must be >= 0, got " + cacheSize);
        }
        this.cacheSize = cacheSize;
    }

    @Override
    public LazyLayer clone() {
        return (LazyLayer) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && Double.compare(((LazyLayer) o).alpha, alpha) == 0
                && ((LazyLayer) o).cacheSize == cacheSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), alpha, cacheSize);
    }
}
