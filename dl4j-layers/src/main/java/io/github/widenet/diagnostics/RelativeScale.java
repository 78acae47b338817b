package io.github.widenet.diagnostics;

import io.github.widenet.ntk.EmpiricalNtk;
import io.github.widenet.internal.wrap.InnerGraph;
import io.github.widenet.internal.wrap.LogitsModel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The relative scale of Chizat–Oyallon–Bach (2019), which controls lazy training (κ ≪ 1 ⇒ lazy):
 * <pre>
 *     κ_h(w0) = (‖h(w0) − y*‖ / ‖∇h(w0)‖) · (‖∇²h(w0)‖ / ‖∇h(w0)‖)
 * </pre>
 * for the map h: w ↦ (logits on a batch x_1..x_n) ∈ R^(n·K). Norms: outputs use the empirical norm
 * ‖u‖² = (1/n)Σ_i Σ_k u_ik²; ‖∇h‖ is the operator norm of the Jacobian, √(λ_max(Θ)/n) with Θ = JJᵀ the empirical NTK,
 * estimated by power iteration on JᵀJ (or from {@link EmpiricalNtk}'s Gram matrix, {@link #jacobianFromKernel}); ‖∇²h‖ is the second derivative <em>on the residual direction</em>: the spectral norm of
 * the Hessian of g(w) = ⟨r̂, h(w)⟩ (r̂ = (h(w0) − y*)/‖h(w0) − y*‖), i.e. sup_v |⟨r̂, D²h(w0)[v, v]⟩|/‖v‖² — a lower bound
 * of the operator norm of D²h as a bilinear map, and the part that matters for the loss.
 * <p>Estimation: power iteration v ← Hv/‖Hv‖ on Hessian-vector products by central differences of ∇g (two backward
 * passes), Hv ≈ (∇g(w + εv) − ∇g(w − εv))/(2ε) with ε = {@code relativeStep}·‖w‖. The estimate ‖Hv_t‖ increases to
 * |λ|_max (it also converges when ±λ pairs share the top magnitude, as for two-layer ReLU nets). Accuracy: the difference
 * quotient errs by O(ε²·‖∇³g‖) for smooth activations; for piecewise-linear ones (ReLU) H is piecewise constant and
 * the quotient is exact unless a pre-activation lies within ≈ ε of a kink; power iteration stops when the estimate changes
 * by less than {@code tolerance} (relative) or after {@code maxIterations}. Requires double precision for small ε.
 */
public final class RelativeScale {

    /**
     * @param residualNorm ‖h(w0) − y*‖ (empirical norm)
     * @param jacobianNorm ‖∇h(w0)‖ = √(λ_max(Θ)/n)
     * @param hessianNorm  ‖∇²h(w0)‖ on the residual direction
     * @param kappa        κ = residualNorm · hessianNorm / jacobianNorm²
     * @param iterations   power iterations run for the Hessian norm
     */
    public record Estimate(double residualNorm, double jacobianNorm, double hessianNorm, double kappa, int iterations) {
    }

    private double relativeStep = 1e-5;
    private int maxIterations = 100;
    private double tolerance = 1e-6;
    private long seed = 12345;
    private long kernelBytes = 256L << 20;
    private java.util.List<String> frozen = java.util.List.of();
    private boolean useKernel;

    /**
     * Computes ‖∇h‖ from the empirical NTK's Gram matrix (exact up to the eigenvalue iteration; n·K backward passes of
     * one example) instead of the default power iteration on JᵀJ (finite-difference J·v, a few batch passes per step).
     */
    public RelativeScale jacobianFromKernel(boolean useKernel) {
        this.useKernel = useKernel;
        return this;
    }

    /**
     * Leaves out frozen parameters (flat-layout keys such as {@code "0_b"}): ∇h and ∇²h are taken with respect to the
     * other parameters only.
     */
    public RelativeScale excluding(java.util.Collection<String> frozenKeys) {
        this.frozen = java.util.List.copyOf(frozenKeys);
        return this;
    }

    public RelativeScale relativeStep(double eps) {
        if (!(eps > 0 && eps < 1)) {
            throw new IllegalArgumentException("relative finite-difference step must be in (0, 1), got " + eps);
        }
        this.relativeStep = eps;
        return this;
    }

    public RelativeScale maxIterations(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1, got " + n);
        }
        this.maxIterations = n;
        return this;
    }

    public RelativeScale tolerance(double tol) {
        this.tolerance = tol;
        return this;
    }

    public RelativeScale seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Memory budget for the Jacobian blocks of the kernel (see {@link EmpiricalNtk#blockSizeFor}). */
    public RelativeScale kernelBytes(long bytes) {
        this.kernelBytes = bytes;
        return this;
    }

    /** κ of {@code net}'s logits at its current parameters on batch {@code x} with targets {@code yStar} ([n, K]). */
    public Estimate estimate(MultiLayerNetwork net, INDArray x, INDArray yStar) {
        LogitsModel h = LogitsModel.of(net);
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray w = h.params().dup();
            INDArray grad = Nd4j.zeros(w.dataType(), w.length());
            InnerGraph graph = new InnerGraph(h.logits(), w, grad);
            INDArray xx = x.castTo(w.dataType());
            long n = x.size(0);
            INDArray out = graph.forward(xx, true).dup();
            if (!java.util.Arrays.equals(out.shape(), yStar.shape())) {
                throw new IllegalArgumentException("targets y* have shape " + java.util.Arrays.toString(yStar.shape())
                        + ", the logits " + java.util.Arrays.toString(out.shape()));
            }
            INDArray r = out.sub(yStar.castTo(w.dataType()));
            double residual = r.norm2Number().doubleValue() / Math.sqrt(n);

            INDArray mask = io.github.widenet.ntk.ParameterMask.excluding(h.logits(), frozen, w.dataType());
            double step = relativeStep * Math.max(w.norm2Number().doubleValue(), 1e-12);
            double jacobian = useKernel
                    ? Math.sqrt(largestEigenvalue(EmpiricalNtk.of(net, EmpiricalNtk.blockSizeFor(kernelBytes,
                    out.size(1), w.length(), w.dataType())).excluding(frozen).gram(x, EmpiricalNtk.Output.FULL)) / n)
                    : jacobianNorm(graph, grad, w, xx, mask, step, n);

            // ∇g for g(w) = ⟨r̂, h(w)⟩ = (1/n) Σ r̂_ik h_ik(w): backward pass with output gradient r̂/n
            INDArray eps = residual > 0 ? r.div(residual * n) : r.mul(0);
            Nd4j.getRandom().setSeed(seed);
            INDArray v = Nd4j.randn(w.dataType(), w.length()).muli(mask);
            v.divi(v.norm2Number());
            double estimate = 0;
            int it = 0;
            while (it < maxIterations) {
                it++;
                INDArray hv = hessianTimes(graph, grad, w, xx, eps, v, step).muli(mask);
                double next = hv.norm2Number().doubleValue();
                if (next == 0) {
                    estimate = 0;
                    break;
                }
                v = hv.divi(next);
                boolean converged = Math.abs(next - estimate) <= tolerance * next;
                estimate = next;
                if (converged) {
                    break;
                }
            }
            return new Estimate(residual, jacobian, estimate, residual * estimate / (jacobian * jacobian), it);
        }
    }

    /**
     * √(λ_max(JᵀJ)/n) by power iteration u ← Jᵀ(Jv): J·v by central differences of the forward pass, Jᵀ·u by one backward
     * pass; stops at relative change {@code tolerance} or {@code maxIterations}.
     */
    private double jacobianNorm(InnerGraph graph, INDArray grad, INDArray w, INDArray x, INDArray mask, double step,
                                long n) {
        Nd4j.getRandom().setSeed(seed + 1);
        INDArray v = Nd4j.randn(w.dataType(), w.length()).muli(mask);
        v.divi(v.norm2Number());
        double lambda = 0;
        for (int it = 0; it < maxIterations; it++) {
            INDArray w0 = w.dup();
            w.addi(v.mul(step));
            INDArray plus = graph.forward(x, false).dup();
            w.assign(w0).subi(v.mul(step));
            INDArray jv = plus.subi(graph.forward(x, false)).divi(2 * step);
            w.assign(w0);
            graph.forward(x, true);
            grad.assign(0);
            graph.backward(jv);
            INDArray jtjv = grad.mul(mask);
            double next = jtjv.norm2Number().doubleValue();
            if (next == 0) {
                return 0;
            }
            v = jtjv.divi(next);
            boolean converged = Math.abs(next - lambda) <= tolerance * next;
            lambda = next;
            if (converged) {
                break;
            }
        }
        return Math.sqrt(lambda / n);
    }

    /** (∇g(w + εv) − ∇g(w − εv))/(2ε); restores w. */
    private static INDArray hessianTimes(InnerGraph graph, INDArray grad, INDArray w, INDArray x, INDArray eps, INDArray v,
                                         double step) {
        INDArray w0 = w.dup();
        w.addi(v.mul(step));
        INDArray plus = gradient(graph, grad, x, eps);
        w.assign(w0).subi(v.mul(step));
        INDArray minus = gradient(graph, grad, x, eps);
        w.assign(w0);
        return plus.subi(minus).divi(2 * step);
    }

    private static INDArray gradient(InnerGraph graph, INDArray grad, INDArray x, INDArray eps) {
        graph.forward(x, true);
        grad.assign(0);
        graph.backward(eps);
        return grad.dup();
    }

    /** λ_max of a symmetric positive semi-definite matrix by power iteration (500 steps or relative change 1e-12). */
    static double largestEigenvalue(INDArray sym) {
        INDArray v = Nd4j.ones(sym.dataType(), sym.size(0), 1);
        v.divi(v.norm2Number());
        double lambda = 0;
        for (int i = 0; i < 500; i++) {
            INDArray next = sym.mmul(v);
            double l = next.norm2Number().doubleValue();
            if (l == 0) {
                return 0;
            }
            v = next.divi(l);
            if (Math.abs(l - lambda) <= 1e-12 * l) {
                return l;
            }
            lambda = l;
        }
        return lambda;
    }
}
