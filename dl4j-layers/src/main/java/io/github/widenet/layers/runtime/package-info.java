/**
 * Public API: the runtime (forward/backward) classes of the project's layers, one per configuration and named
 * {@code <Configuration>Runtime} (as DL4J keeps {@code nn.layers} apart from {@code nn.conf.layers}), and
 * {@link io.github.widenet.layers.runtime.NonFiniteCheck}, the NaN/Inf stop they share with the wrappers.
 */
package io.github.widenet.layers.runtime;
