/** Public API: {@link io.github.widenet.loss.ScaledLoss}, a DL4J loss multiplied by a constant (the wrappers' 1/α²). */
package io.github.widenet.loss;
