/**
 * Public API: layer configurations for wide two-layer blocks and NTK-parameterized layers — {@link
 * io.github.widenet.layers.MeanFieldLayer} (y = (1/m)·σ(x·W + b)·C), {@link io.github.widenet.layers.NtkLayer} (1/√m),
 * {@link io.github.widenet.layers.WidthScaledLayer} (m^-p), {@link io.github.widenet.layers.NtkDenseLayer} and
 * {@link io.github.widenet.layers.NtkConvolutionLayer} (σ_w/√fan_in·W with N(0, 1) weights), and {@link
 * io.github.widenet.layers.FastConvolutionLayer} (DL4J's convolution with a backward pass that reuses the forward). Runtime classes are in
 * {@code layers.runtime}, each named after its configuration with the suffix {@code Runtime}.
 */
package io.github.widenet.layers;
