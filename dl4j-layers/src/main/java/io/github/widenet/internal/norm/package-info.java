/** Internal: the BatchNormalization variants wrapped networks compute with (see {@link io.github.widenet.layers.BatchNormMode}). */
package io.github.widenet.internal.norm;
