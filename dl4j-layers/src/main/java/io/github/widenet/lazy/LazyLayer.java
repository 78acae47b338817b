package io.github.widenet.lazy;

import io.github.widenet.wrap.EmbeddedNetworkLayer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.Objects;

/**
 * Configuration of the lazy (scale-α, centred) model of a network h: output α·(h(w, x) − h(w0, x)), with w trainable and
 * w0 the frozen initial parameters, both stored in this layer (see {@link EmbeddedNetworkLayer}). Paired with a loss
 * divided by α² (see {@link LazyWrapper}), training follows Chizat–Oyallon–Bach's lazy dynamics. The frozen model's
 * outputs are cached per distinct input example (up to {@code cacheSize} examples; 0 disables the cache).
 */
public class LazyLayer extends EmbeddedNetworkLayer {

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
    protected org.deeplearning4j.nn.api.Layer newRuntime(NeuralNetConfiguration conf, DataType dataType) {
        return new LazyRuntime(conf, dataType);
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
        return super.equals(o) && ((LazyLayer) o).cacheSize == cacheSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), cacheSize);
    }
}
