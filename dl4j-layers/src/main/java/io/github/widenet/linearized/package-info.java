/**
 * Public API: {@link io.github.widenet.linearized.LinearizedWrapper} — a network's linearization at w0,
 * h(w0) + J(w0)(w − w0), as an ordinary trainable DL4J network.
 */
package io.github.widenet.linearized;
