package io.github.widenet.theory.pde;

/**
 * Moments of the cosine c = ⟨u, u'⟩ of two independent uniform directions in R^d (density ∝ (1 − c²)^((d−3)/2)):
 * <pre>
 *     E c^k = 0 for odd k,   E c^(2j) = (2j − 1)!! / (d (d + 2) ⋯ (d + 2j − 2))
 * </pre>
 * In high d, c ≈ N(0, 1/d); the angle is 90° only as d → ∞.
 */
public final class SphereAngleMoments {

    private SphereAngleMoments() {
    }

    /** E c^k for k = 0..maxOrder. */
    public static double[] of(int d, int maxOrder) {
        if (d < 2) {
            throw new IllegalArgumentException("directions need d >= 2, got " + d);
        }
        double[] m = new double[maxOrder + 1];
        m[0] = 1;
        for (int k = 2; k <= maxOrder; k += 2) {
            m[k] = m[k - 2] * (k - 1) / (d + k - 2.0);
        }
        return m;
    }
}
