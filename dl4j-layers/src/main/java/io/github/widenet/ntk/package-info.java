/**
 * Public API: the empirical neural tangent kernel Θ(x, x') = Σ_p ∂f(x)/∂w_p · ∂f(x')/∂w_p of any network the linearized
 * wrapper supports ({@link io.github.widenet.ntk.EmpiricalNtk}), computed in memory-bounded blocks.
 */
package io.github.widenet.ntk;
