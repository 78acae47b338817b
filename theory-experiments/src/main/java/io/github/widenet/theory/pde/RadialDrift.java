package io.github.widenet.theory.pde;

/**
 * The velocity field of a one-dimensional continuity equation ∂_t ρ + ∂_r(ρ v[ρ]) = 0 on r ≥ 0, given the current
 * measure ρ = Σ_j mass_j δ_{r_j} (particles, or cell centres with cell masses). For the reduced distributional dynamics
 * v[ρ](r) = −2 ∂_r Ψ(r; ρ) ({@link MeanFieldDrift}).
 */
public interface RadialDrift {

    /** Writes v[ρ](at_i) into out_i for the measure Σ_j mass_j δ_{r_j}. */
    void velocity(double[] at, double[] r, double[] mass, double[] out);
}
