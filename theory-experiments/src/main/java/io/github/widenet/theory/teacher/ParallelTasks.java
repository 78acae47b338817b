package io.github.widenet.theory.teacher;

import io.github.widenet.train.RunInterruptedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs independent tasks of a sweep on {@code threads} worker threads and returns their results in submission order
 * (so the outputs do not depend on the thread count). The first failure (a stop request, an I/O error) is rethrown
 * after the running tasks end; tasks not yet started are cancelled.
 */
final class ParallelTasks {

    /** One task: its result when run. */
    interface Task<T> {
        T run() throws IOException;
    }

    private ParallelTasks() {
    }

    static <T> List<T> run(int threads, List<Task<T>> tasks) throws IOException {
        if (threads <= 1) {
            List<T> out = new ArrayList<>();
            for (Task<T> u : tasks) {
                out.add(u.run());
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sweep-task");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Task<T> u : tasks) {
                futures.add(pool.submit(() -> {
                    try {
                        return u.run();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    futures.forEach(g -> g.cancel(false));
                    Throwable c = e.getCause();
                    if (c instanceof UncheckedIOException io) {
                        throw io.getCause();
                    }
                    if (c instanceof RunInterruptedException ri) {
                        throw ri;
                    }
                    if (c instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the sweep's tasks", e);
                }
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }
}
