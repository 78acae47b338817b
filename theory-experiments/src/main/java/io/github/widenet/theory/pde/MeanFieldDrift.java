package io.github.widenet.theory.pde;

/**
 * The reduced distributional dynamics' velocity v[ρ](r) = −2 ξ ∂_r Ψ(r; ρ), Ψ(r; ρ) = V(r) + ∫W(r, r')ρ(dr'),
 * with ξ = 1 (constant step-size schedule).
 */
public final class MeanFieldDrift implements RadialDrift {

    private final RadialKernels kernels;

    public MeanFieldDrift(RadialKernels kernels) {
        this.kernels = kernels;
    }

    public RadialKernels kernels() {
        return kernels;
    }

    @Override
    public void velocity(double[] at, double[] r, double[] mass, double[] out) {
        if (at == r) {
            kernels.psiDerivativeAtAtoms(r, mass, out);
        } else {
            kernels.psiDerivative(at, kernels.featureMeans(r, mass), out);
        }
        for (int i = 0; i < out.length; i++) {
            out[i] *= -2;
        }
    }
}
