/**
 * Public API shared by the two wrappers ({@link io.github.widenet.lazy.LazyWrapper},
 * {@link io.github.widenet.linearized.LinearizedWrapper}): the configuration base of a layer embedding a network h with
 * its trainable w and frozen w0 ({@link io.github.widenet.wrap.EmbeddedNetworkLayer}), its runtime's view
 * ({@link io.github.widenet.wrap.EmbeddingRuntime}) and the builders' common options
 * ({@link io.github.widenet.wrap.WrapperBuilder}: α, BatchNormalization mode, dropout, garbage collection).
 */
package io.github.widenet.wrap;
