package io.github.widenet.theory.teacher;

/** Summary of one d = 2 path run: teacher size, scale τ, step, final losses, relative unit movement, time. */
public record PathRun(int teacherUnits, double tau, long steps, double step, double finalTrainLoss, double finalTestLoss,
                      double relativeMovement, double seconds) {
}
