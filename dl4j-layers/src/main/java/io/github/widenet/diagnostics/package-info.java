/**
 * Public API: how lazy a training run is — ‖w − w0‖/‖w0‖ per layer, the share of ReLU signs kept, a listener that
 * records both, and one-shot measurements.
 */
package io.github.widenet.diagnostics;
