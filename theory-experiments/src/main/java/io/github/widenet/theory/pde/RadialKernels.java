package io.github.widenet.theory.pde;

/**
 * The potential and interaction of the distributional dynamics as functions of unit norms, for the Gaussian mixture:
 * <pre>
 *     V(r)      = −E[y σ(⟨w,x⟩)]            = −½ [α₀(τ₊ r) − α₀(τ₋ r)]
 *     W(r, r')  = E_angle E[σ(⟨w,x⟩)σ(⟨w',x⟩)] = ½ Σ_± Σ_k m_k α_k(τ_± r) α_k(τ_± r') / k!
 * </pre>
 * where α_k are the {@link HermiteCoefficients} of σ and m_k = E c^k the {@link SphereAngleMoments} of the cosine of two
 * independent uniform directions in R^d (odd k vanish). W is separable, so ∫W(r, r')ρ(dr') needs only the feature
 * means M_{±,k} = ∫α_k(τ_± r')ρ(dr'). The series is cut at the first even k with m_k &lt; 1e−9 (K = 26 for d = 40).
 */
public final class RadialKernels {

    private static final double TAIL = 1e-9;
    private static final int MAX_ORDER = 160;

    private final MixtureTask task;
    private final HermiteCoefficients hermite;
    private final double[] weight;           // m_k / k!

    public RadialKernels(MixtureTask task, PiecewiseLinearSigma sigma) {
        this(task, sigma, orderFor(task.dimension()));
    }

    /** With the series cut after order {@code maxOrder} (maxOrder 0: the "orthogonal directions" approximation). */
    public RadialKernels(MixtureTask task, PiecewiseLinearSigma sigma, int maxOrder) {
        this.task = task;
        this.hermite = new HermiteCoefficients(sigma, maxOrder);
        double[] m = SphereAngleMoments.of(task.dimension(), maxOrder);
        weight = new double[maxOrder + 1];
        double factorial = 1;
        for (int k = 0; k <= maxOrder; k++) {
            factorial *= Math.max(k, 1);
            weight[k] = m[k] / factorial;
        }
    }

    /** Smallest even order K with E c^K &lt; 1e−9 (capped at 160). */
    public static int orderFor(int d) {
        double[] m = SphereAngleMoments.of(Math.max(d, 2), MAX_ORDER);
        for (int k = 0; k <= MAX_ORDER; k += 2) {
            if (m[k] < TAIL) {
                return k;
            }
        }
        return MAX_ORDER;
    }

    public MixtureTask task() {
        return task;
    }

    public int maxOrder() {
        return hermite.maxOrder();
    }

    /** Number of features per class (K + 1). */
    public int features() {
        return hermite.maxOrder() + 1;
    }

    /** V(r). */
    public double potential(double r) {
        double[] a = new double[features()];
        hermite.evaluate(task.tauPlus() * r, a, null);
        double plus = a[0];
        hermite.evaluate(task.tauMinus() * r, a, null);
        return -0.5 * (plus - a[0]);
    }

    /** W(r, r') summed directly. */
    public double interaction(double r, double rPrime) {
        double[] a = new double[features()];
        double[] b = new double[features()];
        double sum = 0;
        for (int c = 0; c < 2; c++) {
            hermite.evaluate(task.tau(c) * r, a, null);
            hermite.evaluate(task.tau(c) * rPrime, b, null);
            for (int k = 0; k < a.length; k++) {
                sum += 0.5 * weight[k] * a[k] * b[k];
            }
        }
        return sum;
    }

    /**
     * The feature means M[c][k] = Σ_j mass_j α_k(τ_c r_j) of a discrete measure Σ_j mass_j δ_{r_j}.
     */
    public double[][] featureMeans(double[] r, double[] mass) {
        double[][] mean = new double[2][features()];
        double[] a = new double[features()];
        for (int j = 0; j < r.length; j++) {
            for (int c = 0; c < 2; c++) {
                hermite.evaluate(task.tau(c) * r[j], a, null);
                for (int k = 0; k < a.length; k++) {
                    mean[c][k] += mass[j] * a[k];
                }
            }
        }
        return mean;
    }

    /** ∂_r Ψ(r; ρ) = V'(r) + ∫ ∂_r W(r, r') ρ(dr') at each query point, given ρ's {@link #featureMeans}. */
    public void psiDerivative(double[] at, double[][] means, double[] out) {
        double[] a = new double[features()];
        double[] da = new double[features()];
        for (int j = 0; j < at.length; j++) {
            double g = 0;
            for (int c = 0; c < 2; c++) {
                double tau = task.tau(c);
                hermite.evaluate(tau * at[j], a, da);
                g += -0.5 * MixtureTask.label(c) * tau * da[0];
                double s = 0;
                for (int k = 0; k < a.length; k++) {
                    s += weight[k] * da[k] * means[c][k];
                }
                g += 0.5 * tau * s;
            }
            out[j] = g;
        }
    }

    /**
     * ∂_r Ψ(r_j; ρ) at the atoms of ρ = Σ_j mass_j δ_{r_j} themselves (the particle method): one Hermite evaluation
     * per atom and class serves both the feature means and the derivative.
     */
    public void psiDerivativeAtAtoms(double[] r, double[] mass, double[] out) {
        int n = r.length;
        int f = features();
        double[][] a = new double[2][n * f];
        double[][] da = new double[2][n * f];
        double[] ak = new double[f];
        double[] dak = new double[f];
        double[][] means = new double[2][f];
        for (int c = 0; c < 2; c++) {
            double tau = task.tau(c);
            for (int j = 0; j < n; j++) {
                hermite.evaluate(tau * r[j], ak, dak);
                System.arraycopy(ak, 0, a[c], j * f, f);
                System.arraycopy(dak, 0, da[c], j * f, f);
                for (int k = 0; k < f; k++) {
                    means[c][k] += mass[j] * ak[k];
                }
            }
        }
        for (int j = 0; j < n; j++) {
            double g = 0;
            for (int c = 0; c < 2; c++) {
                double tau = task.tau(c);
                double[] d = da[c];
                int o = j * f;
                g += -0.5 * MixtureTask.label(c) * tau * d[o];
                double s = 0;
                for (int k = 0; k < f; k++) {
                    s += weight[k] * d[o + k] * means[c][k];
                }
                g += 0.5 * tau * s;
            }
            out[j] = g;
        }
    }

    /**
     * The population risk R(ρ) = E y² + 2∫V dρ + ∫∫W dρ dρ = 1 + 2∫V dρ + ½ Σ_± Σ_k m_k M_{±,k}²/k! of a discrete
     * measure Σ_j mass_j δ_{r_j} (no self-term: this is the risk of the limit network with unit distribution ρ).
     */
    public double risk(double[] r, double[] mass) {
        double[][] m = featureMeans(r, mass);
        double risk = 1 - (m[0][0] - m[1][0]);      // 2∫V dρ = −(M₊₀ − M₋₀)
        for (int c = 0; c < 2; c++) {
            for (int k = 0; k < features(); k++) {
                risk += 0.5 * weight[k] * m[c][k] * m[c][k];
            }
        }
        return risk;
    }
}
