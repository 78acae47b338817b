package io.github.widenet.ntk;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Kernel regression with a network's empirical neural tangent kernel Θ = J(w0)J(w0)ᵀ at its current parameters w0 — the
 * t → ∞ limit of lazy training with the squared loss (the min-norm interpolant when λ = 0) — without ever forming Θ:
 * <pre>
 *     (Θ + λI)·a = r,   r = Y − h(w0, X)      f(x) = h(w0, x) + J(w0, x)·Jᵀa
 *     centred (the limit of α(h(w) − h(w0))):  r = Y,  f(x) = J(w0, x)·Jᵀa
 * </pre>
 * solved by conjugate gradients over the n·K unknowns a, where Θ·p = J(Jᵀp). The solver carries t = Jᵀp, Jᵀz and θ = Jᵀa
 * as P-vectors, updated by the same recurrences as p, z and a, so an iteration is <b>one pass over the data</b>: per
 * minibatch one forward pass at w0, one JVP q = J·t (= Θp on the minibatch) and one VJP Jᵀq — about one epoch of the
 * linearized model's training. Memory: O(P + n·K) doubles plus one minibatch's activations, never an n × n block.
 * Optionally preconditioned by a randomized Nyström approximation of Θ ({@link Builder#preconditionerRank}); Θ's
 * diagonal (per-example ‖∇h_k‖²), the other usual candidate, would cost n·K single-example backward passes.
 * <pre>{@code
 * NtkSolution fit = NtkRegression.builder().tolerance(1e-3).maxIterations(500)
 *         .listener(NtkProgress.printingTo(System.out, 10))
 *         .checkpoint(Path.of("ntk-cg.bin"), 10)          // a killed run resumes from here
 *         .build().fit(net, trainIterator);               // targets [n, K], e.g. one-hot labels
 * INDArray f = fit.predict(testFeatures);
 * }</pre>
 * The iterator must give the same minibatches on every pass (no shuffling). Rounding in the recurrences is corrected every
 * {@link Builder#recomputeEvery} iterations by recomputing z = r − Θa − λa and Jᵀz exactly (one pass), and the final
 * residual is always the recomputed one.
 */
public final class NtkRegression {

    /** Told of every iteration; returns false to stop (the state is checkpointed first when a file is set). */
    @FunctionalInterface
    public interface Listener {
        boolean onIteration(NtkProgress progress);
    }

    private final double ridge;
    private final double tolerance;
    private final int maxIterations;
    private final boolean centred;
    private final int recomputeEvery;
    private final Path checkpoint;
    private final int checkpointEvery;
    private final List<Listener> listeners;
    private final int preconditionerRank;

    private NtkRegression(Builder b) {
        this.preconditionerRank = b.preconditionerRank;
        this.ridge = b.ridge;
        this.tolerance = b.tolerance;
        this.maxIterations = b.maxIterations;
        this.centred = b.centred;
        this.recomputeEvery = b.recomputeEvery;
        this.checkpoint = b.checkpoint;
        this.checkpointEvery = b.checkpointEvery;
        this.listeners = List.copyOf(b.listeners);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Solves with the kernel of {@code net} at its current parameters. */
    public NtkSolution fit(MultiLayerNetwork net, DataSetIterator data) {
        return fit(JacobianProducts.of(net), data);
    }

    public NtkSolution fit(ComputationGraph net, DataSetIterator data) {
        return fit(JacobianProducts.of(net), data);
    }

    /** Solves with the kernel of {@code jacobian} (e.g. one that excludes frozen parameters). */
    public NtkSolution fit(JacobianProducts jacobian, DataSetIterator data) {
        return new Solve(jacobian, new DataPasses(data, jacobian.numOutputs())).run();
    }

    /** The number of examples whose largest f_k is the target's largest (K = 1: sign(f) = sign(y)). */
    static long correct(INDArray f, INDArray y) {
        if (f.size(1) == 1) {
            return f.gt(0).eq(y.gt(0)).castTo(DataType.INT64).sumNumber().longValue();
        }
        INDArray pf = f.argMax(1);
        INDArray py = y.argMax(1);
        return pf.eq(py).castTo(DataType.INT64).sumNumber().longValue();
    }

    /** One solve: the data, the Jacobian and the CG state. */
    private final class Solve {
        private final JacobianProducts jac;
        private final DataPasses data;
        private final int k;
        private CgState s;
        private long started;
        /** When this process's first iteration began (after the set-up), for seconds per iteration and the ETA. */
        private long iterating;
        private int iterationsHere;
        private boolean lastVerified;
        /** The residual of the final check when it did not replace the recurrences' (NaN otherwise), and its z. */
        private double verifiedResidual = Double.NaN;
        private INDArray verifiedZ;
        private NystromPreconditioner preconditioner;
        /** The largest pᵀ(Θ + λI)p/‖p‖² seen: the scale against which a vanishing curvature is judged. */
        private double largestRayleigh;
        /** {a, θ} of the lowest residual so far in this process, returned after a breakdown. */
        private INDArray[] best;
        private double bestResidual = Double.POSITIVE_INFINITY;

        Solve(JacobianProducts jac, DataPasses data) {
            this.jac = jac;
            this.data = data;
            this.k = jac.numOutputs();
        }

        NtkSolution run() {
            started = System.nanoTime();
            List<INDArray> targets = new ArrayList<>();
            data.pass((b, offset) -> targets.add(b.getLabels().castTo(DataType.DOUBLE).reshape(-1)));
            INDArray y = Nd4j.concat(0, targets.toArray(new INDArray[0]));
            int rank = (int) Math.min(preconditionerRank, data.examples() * k);
            CgState.Problem problem = new CgState.Problem(data.examples(), k, jac.numParams(), ridge, centred, rank,
                    CgState.fingerprint(jac.parameters(), y));
            boolean resumed = checkpoint != null && Files.exists(checkpoint);
            if (resumed) {
                s = CgState.read(checkpoint, problem);
            }
            if (rank > 0) {                              // deterministic: a resumed solve rebuilds the same one
                preconditioner = NystromPreconditioner.build(jac, data, problem.examples(), k, rank, ridge,
                        PRECONDITIONER_SEED);
            }
            if (!resumed) {
                s = new CgState(problem);
                s.y.assign(y);
                start();
            }
            NtkSolution.StopReason reason = iterate();
            if (reason == NtkSolution.StopReason.BREAKDOWN && best != null) {
                s.a.assign(best[0]);                     // the lowest-residual iterate (the state is not saved)
                s.theta.assign(best[1]);
            } else {
                save();
            }
            if (s.iteration > 0 && !lastVerified) {
                recompute(false);
                report(true);
            }
            return new NtkSolution(jac, s.theta, s.a.reshape(problem.examples(), k), centred, reason, progressRows());
        }

        private INDArray rows(INDArray v, long offset, long batch) {
            return SolverVectors.rows(v, offset, batch, k);
        }

        private void setRows(INDArray v, long offset, INDArray values) {
            SolverVectors.setRows(v, offset, values, k);
        }

        /** r = Y − h(w0) (or Y), z = p = r, Jᵀz = t = Jᵀr: one pass. */
        private void start() {
            data.pass((b, offset) -> {
                JacobianProducts.Point pt = jac.at(b.getFeatures());
                INDArray r = rows(s.y, offset, pt.batch()).dup();
                if (!centred) {
                    INDArray h0 = pt.logits();
                    r.subi(h0);
                    h0.close();
                }
                setRows(s.r, offset, r);
                pt.addVjp(r, s.jtz);
                r.close();
            });
            s.z.assign(s.r);
            s.rNorm = Math.sqrt(dot(s.r, s.r));
            requireFinite(s.rNorm, "the initial residual r = Y − h(w0, X) (check the targets and the features)");
            INDArray[] pre = precondition();
            s.p.assign(pre[0]);
            s.t.assign(pre[1]);
            s.gamma = dot(s.z, pre[0]);
            close(pre);
            report(false);
        }

        private NtkSolution.StopReason iterate() {
            iterating = System.nanoTime();
            while (true) {
                if (relativeResidual() <= tolerance) {
                    return NtkSolution.StopReason.TOLERANCE;
                }
                if (s.iteration >= maxIterations) {
                    return NtkSolution.StopReason.MAX_ITERATIONS;
                }
                if (!step()) {
                    return NtkSolution.StopReason.BREAKDOWN;
                }
                boolean verified = recomputeEvery > 0 && s.iteration % recomputeEvery == 0;
                if (verified) {
                    recompute(true);
                }
                boolean go = report(verified);
                if (checkpoint != null && s.iteration % checkpointEvery == 0) {
                    save();
                }
                if (!go) {
                    return NtkSolution.StopReason.LISTENER;
                }
            }
        }

        /**
         * One CG iteration over the data: q = Θp = J t per minibatch and s = Jᵀq, then the recurrences. Returns false, with
         * the state unchanged, when the direction p has (numerically) no curvature: Θ is singular there and the rest of
         * the residual lies outside its range, where no a can reduce it (predictions are unaffected: Jᵀ maps that part of
         * a to 0).
         */
        private boolean step() {
            INDArray q = buffer(0, s.p.length());
            INDArray jtq = buffer(1, s.t.length());
            data.pass((b, offset) -> {
                JacobianProducts.Point pt = jac.at(b.getFeatures());
                INDArray qb = pt.jvp(s.t);
                setRows(q, offset, qb);
                pt.addVjp(qb, jtq);
                qb.close();
            });
            if (ridge != 0) {
                SolverVectors.axpy(ridge, s.p, q);           // (Θ + λI)p
                SolverVectors.axpy(ridge, s.t, jtq);         // Jᵀ(Θ + λI)p
            }
            double curvature = dot(s.p, q);
            requireFinite(curvature, "pᵀ(Θ + λI)p");
            double rayleigh = curvature / dot(s.p, s.p);
            if (!(rayleigh > BREAKDOWN * largestRayleigh)) {
                return false;                            // p (numerically) in Θ + λI's null space: nothing left to gain
            }
            largestRayleigh = Math.max(largestRayleigh, rayleigh);
            double alpha = s.gamma / curvature;
            requireFinite(alpha, "pᵀ(Θ + λI)p = " + curvature);
            SolverVectors.axpy(alpha, s.p, s.a);
            SolverVectors.axpy(alpha, s.t, s.theta);
            SolverVectors.axpy(-alpha, q, s.z);
            SolverVectors.axpy(-alpha, jtq, s.jtz);
            INDArray[] pre = precondition();
            double gammaNext = dot(s.z, pre[0]);
            requireFinite(gammaNext, "zᵀP⁻¹z");
            double beta = gammaNext / s.gamma;
            s.p.muli(beta).addi(pre[0]);
            s.t.muli(beta).addi(pre[1]);
            close(pre);
            s.gamma = gammaNext;
            s.iteration++;
            iterationsHere++;
            return true;
        }

        /**
         * z = r − Θa − λa and Jᵀz recomputed from θ = Jᵀa: one pass (forward, JVP of θ, VJP of z). With {@code replace} the
         * recurrences continue from these values (residual replacement); without, only the reported residual is the
         * recomputed one and the state stays as the recurrences left it (so a checkpoint resumes exactly).
         */
        private void recompute(boolean replace) {
            INDArray z = replace ? s.z : Nd4j.zeros(DataType.DOUBLE, s.z.length());
            INDArray jtz = replace ? s.jtz.assign(0) : Nd4j.zeros(DataType.DOUBLE, s.jtz.length());
            data.pass((b, offset) -> {
                JacobianProducts.Point pt = jac.at(b.getFeatures());
                INDArray jvp = pt.jvp(s.theta);
                INDArray zb = rows(s.r, offset, pt.batch()).dup().subi(jvp);
                if (ridge != 0) {
                    SolverVectors.axpy(-ridge, rows(s.a, offset, pt.batch()), zb);
                }
                setRows(z, offset, zb);
                if (replace) {
                    pt.addVjp(zb, jtz);
                }
                close(jvp, zb);
            });
            double norm2 = dot(z, z);
            requireFinite(norm2, "the recomputed residual");
            if (replace) {
                INDArray[] pre = precondition();
                s.gamma = dot(s.z, pre[0]);
                close(pre);
            } else {
                verifiedResidual = s.rNorm == 0 ? 0 : Math.sqrt(norm2) / s.rNorm;
                verifiedZ = z;
            }
        }

        private boolean report(boolean verified) {
            keepIfBest();
            double seconds = (System.nanoTime() - started) / 1e9;
            double residual = Double.isNaN(verifiedResidual) ? relativeResidual() : verifiedResidual;
            s.history.add(new double[]{s.iteration, residual, trainingAccuracy(), seconds, verified ? 1 : 0});
            double perIteration = iterationsHere == 0 ? Double.NaN
                    : (System.nanoTime() - iterating) / 1e9 / iterationsHere;
            NtkProgress p = progress(s.history.get(s.history.size() - 1), perIteration, eta(perIteration));
            lastVerified = verified;
            boolean go = true;
            for (Listener l : listeners) {
                go &= l.onIteration(p);
            }
            return go;
        }

        private NtkProgress progress(double[] h, double perIteration, double eta) {
            return new NtkProgress((int) h[0], maxIterations, h[1], h[2], h[3], perIteration, eta, h[4] != 0);
        }

        /** Seconds to the tolerance at the residual's geometric rate over the last ten iterations, or to the cap. */
        private double eta(double perIteration) {
            int rows = s.history.size();
            double toCap = (maxIterations - s.iteration) * perIteration;
            if (rows < 3) {
                return toCap;
            }
            int back = Math.min(10, rows - 1);
            double[] now = s.history.get(rows - 1);
            double[] before = s.history.get(rows - 1 - back);
            double rate = Math.log(now[1] / before[1]) / (now[0] - before[0]);
            if (!(rate < 0)) {
                return toCap;
            }
            double needed = Math.log(tolerance / now[1]) / rate;
            return Math.min(toCap, Math.max(0, needed) * perIteration);
        }

        private List<NtkProgress> progressRows() {
            return s.history.stream().map(h -> progress(h, Double.NaN, Double.NaN)).toList();
        }

        private double relativeResidual() {
            return s.rNorm == 0 ? 0 : Math.sqrt(dot(s.z, s.z)) / s.rNorm;
        }

        private final INDArray[] buffers = new INDArray[2];

        /** A zeroed double vector reused from iteration to iteration (garbage would hold off-heap memory). */
        private INDArray buffer(int which, long length) {
            if (buffers[which] == null) {
                buffers[which] = Nd4j.zeros(DataType.DOUBLE, length);
            }
            return buffers[which].assign(0);
        }

        /** Remembers {a, θ} when the residual is the lowest so far (singular Θ: CG may diverge before it breaks down). */
        private void keepIfBest() {
            double residual = relativeResidual();
            if (residual < bestResidual) {
                bestResidual = residual;
                if (best == null) {
                    best = new INDArray[]{s.a.dup(), s.theta.dup()};
                } else {
                    best[0].assign(s.a);
                    best[1].assign(s.theta);
                }
            }
        }

        /** {P⁻¹z, Jᵀ(P⁻¹z)} for the current residual z (P = I without a preconditioner). */
        private INDArray[] precondition() {
            if (preconditioner == null) {
                return new INDArray[]{s.z.dup(), s.jtz.dup()};
            }
            INDArray[] pre = preconditioner.apply(s.z);
            return new INDArray[]{pre[0], pre[1].addi(s.jtz)};
        }

        /** Training predictions Y − z − λa (= h(w0) + Θa, or Θa when centred) against Y. */
        private double trainingAccuracy() {
            INDArray f = s.y.sub(verifiedZ != null ? verifiedZ : s.z);
            if (ridge != 0) {
                f.subi(s.a.mul(ridge));
            }
            long n = s.problem.examples();
            return (double) correct(f.reshape(n, k), s.y.reshape(n, k)) / n;
        }

        private void save() {
            if (checkpoint != null) {
                s.write(checkpoint);
            }
        }

        private void requireFinite(double v, String what) {
            if (!Double.isFinite(v)) {
                throw new IllegalStateException("NTK regression: non-finite value at iteration " + s.iteration + " ("
                        + what + "); the network's outputs or tangents overflow or hold NaN");
            }
        }
    }


    private static void close(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a != null && a.closeable()) {
                a.close();
            }
        }
    }

    private static double dot(INDArray a, INDArray b) {
        return Nd4j.getBlasWrapper().dot(a, b);
    }

    private static final long PRECONDITIONER_SEED = 20_190_101L;
    /** A direction's curvature below this fraction of the largest seen counts as zero (the solve has broken down). */
    private static final double BREAKDOWN = 1e-10;

    /** Options of the solver. */
    public static final class Builder {
        private int preconditionerRank;
        private double ridge;
        private double tolerance = 1e-3;
        private int maxIterations = 1000;
        private boolean centred;
        private int recomputeEvery = 50;
        private Path checkpoint;
        private int checkpointEvery = 10;
        private final List<Listener> listeners = new ArrayList<>();

        /** The ridge λ ≥ 0 (default 0: the interpolant). */
        public Builder ridge(double lambda) {
            if (!(lambda >= 0) || Double.isInfinite(lambda)) {
                throw new IllegalArgumentException("ridge λ must be finite and >= 0, got " + lambda);
            }
            this.ridge = lambda;
            return this;
        }

        /** Stop when ‖Θa + λa − r‖/‖r‖ ≤ tolerance (default 1e-3). */
        public Builder tolerance(double tolerance) {
            if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
                throw new IllegalArgumentException("tolerance must be finite and >= 0, got " + tolerance);
            }
            this.tolerance = tolerance;
            return this;
        }

        /** Iteration cap (default 1000; 0 gives the start a = 0). */
        public Builder maxIterations(int maxIterations) {
            if (maxIterations < 0) {
                throw new IllegalArgumentException("maxIterations must be >= 0, got " + maxIterations);
            }
            this.maxIterations = maxIterations;
            return this;
        }

        /** Regress on Y itself and predict J·Jᵀa (the limit of the centred lazy model α(h(w) − h(w0))). */
        public Builder centred(boolean centred) {
            this.centred = centred;
            return this;
        }

        /** Recompute the residual exactly every this many iterations (default 50; 0 = only at the end). */
        public Builder recomputeEvery(int iterations) {
            if (iterations < 0) {
                throw new IllegalArgumentException("recomputeEvery must be >= 0, got " + iterations);
            }
            this.recomputeEvery = iterations;
            return this;
        }

        /**
         * Checkpoint the solver state to {@code file} every {@code every} iterations and at the end; if the file exists
         * when {@link #fit} starts, the solve resumes from it (refused if it was made for another problem).
         */
        public Builder checkpoint(Path file, int every) {
            if (every < 1) {
                throw new IllegalArgumentException("checkpoint interval must be >= 1, got " + every);
            }
            this.checkpoint = file;
            this.checkpointEvery = every;
            return this;
        }

        /**
         * Precondition with a randomized Nyström approximation of Θ of this rank s (default 0: none): the top s
         * eigenvalues of Θ + λI are mapped onto the s-th, at a set-up cost of about 1.7·s iterations and memory for
         * 2·s vectors over the examples×logits and over the parameters (see Frangella–Tropp–Udell 2023).
         */
        public Builder preconditionerRank(int rank) {
            if (rank < 0) {
                throw new IllegalArgumentException("preconditioner rank must be >= 0, got " + rank);
            }
            this.preconditionerRank = rank;
            return this;
        }

        public Builder listener(Listener listener) {
            listeners.add(listener);
            return this;
        }

        public NtkRegression build() {
            return new NtkRegression(this);
        }
    }
}
