package io.github.widenet.train;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory between and during tasks (a CIFAR mode, an MNIST width): {@link #release()} frees what a finished task
 * leaves behind (the thread's ND4J workspaces, e.g. the linearized model's tangent workspace that is named per network,
 * and the garbage holding off-heap buffers, which ND4J frees only when their Java objects are collected); the
 * resident-set readings (Linux /proc/self) give each task's own peak.
 */
public final class TaskMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private TaskMemory() {
    }

    /**
     * Destroys this thread's workspaces, collects garbage (ND4J frees off-heap buffers of collected arrays, on its
     * deallocator thread) and waits until the resident size stops falling (at most 10 s), so that a peak measured from
     * here on is the next task's own; returns false if it did not settle.
     */
    public static boolean release() {
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        System.gc();
        Nd4j.getMemoryManager().invokeGc();
        long previous = resident();
        for (int i = 0; i < 100; i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            long now = resident();
            if (now >= previous - (1 << 20)) {
                return true;
            }
            previous = now;
        }
        return false;
    }

    /** Number of ND4J workspaces of this thread. */
    public static int workspaces() {
        return Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread().size();
    }

    /** Bytes held by this thread's ND4J workspaces. */
    public static long workspaceBytes() {
        long b = 0;
        for (MemoryWorkspace w : Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) {
            b += w.getCurrentSize();
        }
        return b;
    }

    /**
     * Restarts the peak resident-set measure (Linux: writing 5 to /proc/self/clear_refs resets VmHWM); returns false
     * where that is not possible, in which case {@link #peakResident()} is the process's peak so far.
     */
    public static boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** Peak resident bytes since the last {@link #resetPeak()} (or process start), -1 when unknown. */
    public static long peakResident() {
        return status("VmHWM:");
    }

    /** Current resident bytes, -1 when unknown. */
    public static long resident() {
        return status("VmRSS:");
    }

    private static long status(String field) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
