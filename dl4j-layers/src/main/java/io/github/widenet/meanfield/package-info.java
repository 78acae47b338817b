/**
 * Public API: the mean-field time scale (SGD steps η·m, {@link io.github.widenet.meanfield.MeanFieldTimeScale}) and the
 * units of a width-scaled block as an m × (d + 1 + k) matrix ({@link io.github.widenet.meanfield.UnitParameters}).
 */
package io.github.widenet.meanfield;
