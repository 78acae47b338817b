package io.github.widenet.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress bar for long training runs: label, bar, percent, step/total, elapsed time, ETA, current loss and
 * examples/s. On a terminal it redraws one line in place; elsewhere (CI, pipes, log files; or with the environment
 * variable {@code WIDENET_PROGRESS=plain}) it prints a plain line at most every {@code plainIntervalSeconds} and at the
 * end. Use it as a DL4J {@link org.deeplearning4j.optimize.api.TrainingListener} or drive it with {@link #step}.
 */
public class ProgressBarListener extends BaseTrainingListener {

    private static final int BAR = 24;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean terminal;
    private final long plainIntervalNanos;
    private final LongSupplier clock;

    private long startNanos = -1;
    private long startDone;
    private long done;
    private long examples;
    private long lastPrint = Long.MIN_VALUE;
    private double loss = Double.NaN;
    private boolean finished;

    /** A bar on System.err that redraws on a terminal and logs every 10 s otherwise. */
    public ProgressBarListener(String label, long total) {
        this(label, total, System.err, isTerminal(), 10, System::nanoTime);
    }

    public ProgressBarListener(String label, long total, PrintStream out, boolean terminal, double plainIntervalSeconds,
                               LongSupplier nanoClock) {
        if (total < 1) {
            throw new IllegalArgumentException("total steps must be >= 1, got " + total);
        }
        this.label = label;
        this.total = total;
        this.out = out;
        this.terminal = terminal;
        this.plainIntervalNanos = (long) (plainIntervalSeconds * 1e9);
        this.clock = nanoClock;
    }

    /** True when stderr is an interactive terminal and progress was not forced to plain lines. */
    public static boolean isTerminal() {
        return System.console() != null && !"plain".equalsIgnoreCase(System.getenv("WIDENET_PROGRESS"));
    }

    /** For a resumed run: the bar starts at {@code alreadyDone}; rates and ETA count only the steps done now. */
    public ProgressBarListener startAt(long alreadyDone) {
        this.done = alreadyDone;
        return this;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        step(done + 1, model.score(), model.batchSize());
    }

    /** Records that {@code doneSteps} of the total are done, the last loss, and the examples since the last report. */
    public void step(long doneSteps, double lastLoss, long examplesSinceLastReport) {
        long now = clock.getAsLong();
        if (startNanos < 0) {
            // the clock starts when the first step reports: rates count the steps after it
            startNanos = now;
            startDone = doneSteps;
        } else {
            examples += examplesSinceLastReport;
        }
        done = doneSteps;
        loss = lastLoss;
        boolean last = done >= total;
        long interval = terminal ? REDRAW_NANOS : plainIntervalNanos;
        if (last || lastPrint == Long.MIN_VALUE || now - lastPrint >= interval) {
            print(now, last);
            lastPrint = now;
        }
        if (last) {
            finish();
        }
    }

    /** Ends the terminal line (idempotent). */
    public void finish() {
        if (!finished && terminal) {
            out.println();
        }
        finished = true;
        out.flush();
    }

    /** The text of the current status line, e.g. {@code "mf m=1000 [######....] 25% 250/1000 0:10 ETA 0:30 loss 0.31"}. */
    public String line(long now) {
        double frac = Math.min(1.0, done / (double) total);
        int filled = (int) Math.round(frac * BAR);
        double elapsed = startNanos < 0 ? 0 : (now - startNanos) / 1e9;
        long doneNow = done - startDone;
        String eta = doneNow <= 0 || elapsed <= 0 ? "--:--" : clockTime(elapsed / doneNow * (total - done));
        StringBuilder sb = new StringBuilder();
        sb.append(label).append(" [").append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ")
                .append(String.format(Locale.ROOT, "%3.0f%% %d/%d", 100 * frac, done, total))
                .append(" elapsed ").append(clockTime(elapsed)).append(" ETA ").append(eta);
        if (!Double.isNaN(loss)) {
            sb.append(String.format(Locale.ROOT, " loss %.4f", loss));
        }
        if (elapsed > 0 && examples > 0) {
            sb.append(String.format(Locale.ROOT, " %.0f ex/s", examples / elapsed));
        }
        return sb.toString();
    }

    private void print(long now, boolean last) {
        if (terminal) {
            out.print("\r" + line(now) + "\u001b[K");
        } else {
            out.println(line(now));
        }
        out.flush();
    }

    /** h:mm:ss or m:ss. */
    static String clockTime(double seconds) {
        long s = Math.round(seconds);
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec) : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }
}
