package io.github.widenet.mnist;

import io.github.widenet.report.Histogram;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.Well19937c;

import java.util.SplittableRandom;

/**
 * The yardstick for "W1 to the largest width": the exact W1 distance between two independent samples of sizes n and
 * n_max drawn from the units' initial distribution — what two widths differ by from sampling alone. For a law with a
 * density and finite moments it falls like √(1/n + 1/n_max), the N^(-1/2) guide of the plots. Initial laws, as
 * {@link io.github.widenet.layers.WidthScaledLayer} draws them with the experiment's defaults: c ~ N(0, σ_c²) (each
 * class, and pooled over the k classes), ‖w‖ = σ_w·√χ²_d (w ~ N(0, σ_w² I_d)), b ~ N(0, σ_b²) (a point mass at 0 for
 * σ_b = 0, whose floor is 0).
 */
final class SamplingFloor {

    /** One initial law: a sampler of n values. */
    interface Law {
        double[] sample(int n, SplittableRandom random);
    }

    private SamplingFloor() {
    }

    /** N(0, std²). */
    static Law gaussian(double std) {
        return (n, random) -> {
            double[] x = new double[n];
            for (int i = 0; i < n; i += 2) {          // Box–Muller, two values per pair of uniforms
                double r = Math.sqrt(-2 * Math.log(1 - random.nextDouble()));
                double t = 2 * Math.PI * random.nextDouble();
                x[i] = std * r * Math.cos(t);
                if (i + 1 < n) {
                    x[i + 1] = std * r * Math.sin(t);
                }
            }
            return x;
        };
    }

    /** ‖w‖ for w ~ N(0, std² I_d): std·√χ²_d, with χ²_d = Gamma(d/2, 2). */
    static Law gaussianNorm(int d, double std) {
        return (n, random) -> {
            GammaDistribution chi2 = new GammaDistribution(new Well19937c(random.nextLong()), d / 2.0, 2.0);
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = std * Math.sqrt(chi2.sample());
            }
            return x;
        };
    }

    /**
     * Mean over {@code reps} independent draws of W1(sample of n, sample of nMax).
     *
     * @param perUnit values per unit (k for c pooled over k classes, 1 otherwise): samples have n·perUnit values
     */
    static double floor(Law law, int n, int nMax, int perUnit, int reps, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double sum = 0;
        for (int r = 0; r < reps; r++) {
            double[] a = law.sample(n * perUnit, random);
            double[] b = law.sample(nMax * perUnit, random);
            sum += Histogram.wasserstein1(a, b);
        }
        return sum / reps;
    }
}
