package io.github.widenet.ntk;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static io.github.widenet.ntk.SolverVectors.axpy;
import static io.github.widenet.ntk.SolverVectors.rows;
import static io.github.widenet.ntk.SolverVectors.setRows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The randomized Nyström preconditioner of Frangella, Tropp and Udell (2023) for (Θ + λI)a = r, matrix-free: from
 * Y = ΘΩ for an orthonormal Gaussian sketch Ω of rank s it builds Θ ≈ U Λ̂ Uᵀ and applies
 * <pre>
 *     P⁻¹ = (λ̂_s + λ)·U(Λ̂ + λI)⁻¹Uᵀ + (I − UUᵀ)  =  I + U·D·Uᵀ,   D = diag((λ̂_s + λ)/(λ̂_i + λ) − 1)
 * </pre>
 * which maps the top s eigenvalues of Θ + λI onto λ̂_s + λ. The solver also needs Jᵀ of the preconditioned residual:
 * JᵀP⁻¹r = Jᵀr + (JᵀU)·D·Uᵀr, so JᵀU (P × s) is kept beside U (N × s). Building it costs two passes over the data with s
 * products each — s forward + backward passes, then s forward + JVP + backward passes per minibatch, about 1.7·s solver
 * iterations.
 */
final class NystromPreconditioner {

    private final List<INDArray> u;
    private final List<INDArray> jtu;
    private final double[] d;
    private final double[] eigenvalues;

    private NystromPreconditioner(List<INDArray> u, List<INDArray> jtu, double[] d, double[] eigenvalues) {
        this.u = u;
        this.jtu = jtu;
        this.d = d;
        this.eigenvalues = eigenvalues;
    }

    /** The approximate top eigenvalues λ̂ of Θ it kept (descending). */
    double[] eigenvalues() {
        return eigenvalues.clone();
    }

    int rank() {
        return d.length;
    }

    /** P⁻¹r and the correction (JᵀU)·D·Uᵀr of Jᵀ(P⁻¹r) − Jᵀr. */
    INDArray[] apply(INDArray res) {
        INDArray z = res.dup();
        INDArray correction = Nd4j.zeros(DataType.DOUBLE, jtu.isEmpty() ? 0 : jtu.get(0).length());
        for (int i = 0; i < d.length; i++) {
            double c = d[i] * Nd4j.getBlasWrapper().dot(u.get(i), res);
            axpy(c, u.get(i), z);
            axpy(c, jtu.get(i), correction);
        }
        return new INDArray[]{z, correction};
    }

    /** Runs the two sketch passes and the small factorisations. */
    static NystromPreconditioner build(JacobianProducts jac, DataPasses data, long n, int k, int rank, double ridge,
                                       long seed) {
        long nk = n * k;
        long p = jac.numParams();
        List<INDArray> omega = gaussianOrthonormal(nk, rank, seed);
        List<INDArray> g = zeros(rank, p);
        data.pass((b, offset) -> {
            long batch = b.getFeatures().size(0);
            for (int j = 0; j < rank; j++) {
                jac.at(b.getFeatures()).addVjp(rows(omega.get(j), offset, batch, k), g.get(j));   // G = JᵀΩ
            }
        });
        List<INDArray> y = zeros(rank, nk);
        List<INDArray> jty = zeros(rank, p);
        data.pass((b, offset) -> {
            long batch = b.getFeatures().size(0);
            for (int j = 0; j < rank; j++) {
                JacobianProducts.Point pt = jac.at(b.getFeatures());
                INDArray yb = pt.jvp(g.get(j));                                                    // Y = ΘΩ = J G
                setRows(y.get(j), offset, yb, k);
                pt.addVjp(yb, jty.get(j));                                                         // JᵀY
                yb.close();
            }
        });
        return factorise(omega, y, g, jty, ridge, jac.dataType() == DataType.DOUBLE ? 2.2e-16 : 1.2e-7);
    }

    /**
     * Y_ν = Y + νΩ, ΩᵀY_ν = LLᵀ, B = Y_ν L⁻ᵀ = U Σ Vᵀ; Λ̂ = max(0, Σ² − ν). U = Y_ν·M with M = L⁻ᵀVΣ⁻¹, so JᵀU = (JᵀY + νG)M.
     * The shift ν grows tenfold while the Cholesky factorisation fails (float products make ΩᵀY slightly indefinite).
     */
    private static NystromPreconditioner factorise(List<INDArray> omega, List<INDArray> y, List<INDArray> g,
                                                   List<INDArray> jty, double ridge, double eps) {
        int s = omega.size();
        long nk = omega.get(0).length();
        double frob = 0;
        for (INDArray c : y) {
            frob += Nd4j.getBlasWrapper().dot(c, c);
        }
        double nu = Math.sqrt(nk) * eps * Math.sqrt(frob);
        double[][] oy = gram(omega, y);
        double[][] oo = gram(omega, omega);
        double[][] yy = gram(y, y);
        double[][] lower = null;
        for (int attempt = 0; attempt < 8 && lower == null; attempt++, nu *= 10) {
            double[][] w = new double[s][s];
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < s; j++) {
                    w[i][j] = 0.5 * (oy[i][j] + oy[j][i]) + nu * oo[i][j];
                }
            }
            lower = SmallMatrices.cholesky(w);
            if (lower == null) {
                continue;
            }
            // BᵀB = L⁻¹ Y_νᵀY_ν L⁻ᵀ, Y_νᵀY_ν = YᵀY + ν(ΩᵀY + YᵀΩ) + ν²ΩᵀΩ
            double[][] yn = new double[s][s];
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < s; j++) {
                    yn[i][j] = yy[i][j] + nu * (oy[i][j] + oy[j][i]) + nu * nu * oo[i][j];
                }
            }
            double[][] linv = SmallMatrices.lowerInverse(lower);
            double[][] btb = SmallMatrices.multiply(SmallMatrices.multiply(linv, yn), SmallMatrices.transpose(linv));
            SmallMatrices.Eigen eig = SmallMatrices.symmetricEigen(btb);           // descending
            List<Integer> kept = new ArrayList<>();
            for (int i = 0; i < s; i++) {
                if (eig.values()[i] - nu > 0 && eig.values()[i] > 0) {
                    kept.add(i);
                }
            }
            double[] lambda = new double[kept.size()];
            double[][] m = new double[s][kept.size()];
            double[][] lit = SmallMatrices.transpose(linv);
            for (int c = 0; c < kept.size(); c++) {
                int i = kept.get(c);
                lambda[c] = eig.values()[i] - nu;
                double sigma = Math.sqrt(eig.values()[i]);
                for (int r = 0; r < s; r++) {
                    double sum = 0;
                    for (int q = 0; q < s; q++) {
                        sum += lit[r][q] * eig.vectors()[q][i];
                    }
                    m[r][c] = sum / sigma;
                }
            }
            List<INDArray> u = new ArrayList<>();
            List<INDArray> jtu = new ArrayList<>();
            for (int c = 0; c < kept.size(); c++) {
                INDArray uc = Nd4j.zeros(DataType.DOUBLE, nk);
                INDArray jc = Nd4j.zeros(DataType.DOUBLE, g.get(0).length());
                for (int r = 0; r < s; r++) {
                    axpy(m[r][c], y.get(r), uc);
                    axpy(nu * m[r][c], omega.get(r), uc);
                    axpy(m[r][c], jty.get(r), jc);
                    axpy(nu * m[r][c], g.get(r), jc);
                }
                u.add(uc);
                jtu.add(jc);
            }
            double[] d = new double[lambda.length];
            double last = lambda.length == 0 ? 0 : lambda[lambda.length - 1];
            for (int c = 0; c < d.length; c++) {
                d[c] = (last + ridge) / (lambda[c] + ridge) - 1;
            }
            return new NystromPreconditioner(u, jtu, d, lambda);
        }
        throw new IllegalStateException("Nyström preconditioner: ΩᵀΘΩ is not positive definite even with a shift of "
                + nu + "; use a smaller rank");
    }

    private static double[][] gram(List<INDArray> a, List<INDArray> b) {
        double[][] out = new double[a.size()][b.size()];
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < b.size(); j++) {
                out[i][j] = Nd4j.getBlasWrapper().dot(a.get(i), b.get(j));
            }
        }
        return out;
    }

    /** s orthonormal Gaussian vectors of length n (modified Gram–Schmidt, twice), from java.util.Random(seed). */
    private static List<INDArray> gaussianOrthonormal(long n, int s, long seed) {
        Random rng = new Random(seed);
        List<INDArray> q = new ArrayList<>();
        for (int j = 0; j < s; j++) {
            double[] v = new double[Math.toIntExact(n)];
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.nextGaussian();
            }
            INDArray c = Nd4j.createFromArray(v);
            for (int pass = 0; pass < 2; pass++) {
                for (INDArray prev : q) {
                    axpy(-Nd4j.getBlasWrapper().dot(prev, c), prev, c);
                }
            }
            q.add(c.divi(c.norm2Number().doubleValue()));
        }
        return q;
    }

    private static List<INDArray> zeros(int count, long length) {
        List<INDArray> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(Nd4j.zeros(DataType.DOUBLE, length));
        }
        return out;
    }
}
