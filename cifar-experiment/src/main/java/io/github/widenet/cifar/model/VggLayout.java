package io.github.widenet.cifar.model;

import io.github.widenet.diagnostics.UnderlyingNetwork;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Locale;

/**
 * Where VGG keeps the channel axis of its activations: NCHW [N, C, H, W] (the data's layout) or NHWC [N, H, W, C].
 * The math is the same; the speed is not: with NHWC the fast layers bind oneDNN's backward convolutions and pooling
 * to the arrays without reorders. NHWC is the experiments' default, measured faster at both widths
 * ({@code ./widenet cifar-bench --formats nchw,nhwc}, results/bench/).
 *
 * <p>For VGG on 32×32 images the last pooling leaves 1×1 maps, so the parameters of both layouts are the same arrays:
 * a network of either layout starts from the same w0 for a seed.
 */
public final class VggLayout {

    private VggLayout() {
    }

    /** The layout named by {@code value} ("nchw" or "nhwc", any case); an error naming {@code option} otherwise. */
    public static CNN2DFormat parse(String option, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "nchw" -> CNN2DFormat.NCHW;
            case "nhwc" -> CNN2DFormat.NHWC;
            default -> throw new IllegalArgumentException(option + ": expected nchw or nhwc, got '" + value + "'");
        };
    }

    /**
     * The layout a network (plain, or made by the lazy or linearized wrapper) takes its images in: the format of its
     * convolution and pooling layers; NCHW when it has none. An error when its layers disagree.
     */
    public static CNN2DFormat of(Model net) {
        return of(UnderlyingNetwork.of(net));
    }

    /** As {@link #of(Model)}, for a network already resolved to its underlying (logits) network. */
    public static CNN2DFormat of(UnderlyingNetwork net) {
        CNN2DFormat found = null;
        for (GraphVertex v : net.logits().getVertices().values()) {
            CNN2DFormat f = v instanceof LayerVertex lv ? formatOf(lv.getLayerConf().getLayer()) : null;
            if (f != null && found != null && f != found) {
                throw new IllegalArgumentException("the network mixes activation layouts (" + found + " and " + f
                        + "); its input layout is ambiguous");
            }
            found = f != null ? f : found;
        }
        return found == null ? CNN2DFormat.NCHW : found;
    }

    private static CNN2DFormat formatOf(Object layer) {
        if (layer instanceof ConvolutionLayer c) {
            return c.getCnn2dDataFormat();
        }
        return layer instanceof SubsamplingLayer s ? s.getCnn2dDataFormat() : null;
    }

    /** Images [N, C, H, W] in {@code format}: the array itself for NCHW, a C-ordered copy [N, H, W, C] for NHWC. */
    public static INDArray arrange(INDArray nchw, CNN2DFormat format) {
        if (nchw.rank() != 4) {
            throw new IllegalArgumentException("images must be [N, C, H, W], got shape "
                    + java.util.Arrays.toString(nchw.shape()));
        }
        return format == CNN2DFormat.NCHW ? nchw : nchw.permute(0, 2, 3, 1).dup('c');
    }
}
