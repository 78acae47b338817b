package io.github.widenet.internal.onednn;

import org.bytedeco.dnnl.engine;

/**
 * Whether oneDNN's Java API (org.bytedeco:dnnl with its linux natives, and org.bytedeco:opencl which its class
 * initialisation needs) can be used in this JVM, and its CPU engine. Optional: dl4j-layers does not depend on them at
 * run time, and everything that uses oneDNN directly falls back to ND4J's ops when they are absent. System property
 * {@code widenet.onednn.direct.disable=true} turns the direct path off.
 */
public final class OneDnnAvailability {

    public static final String DISABLE_PROPERTY = io.github.widenet.layers.WidenetSettings.Setting.ONEDNN_DIRECT_DISABLE.key();

    private OneDnnAvailability() {
    }

    private static final class Holder {
        static final engine ENGINE;
        static final String PROBLEM;

        static {
            engine e = null;
            String problem = null;
            try {
                e = new engine(engine.kind.cpu, 0);
            } catch (Throwable t) {          // classes or natives missing: NoClassDefFoundError, UnsatisfiedLinkError...
                problem = t.toString();
            }
            ENGINE = e;
            PROBLEM = problem;
        }
    }

    /** True when oneDNN's Java API loaded and the direct path is not disabled. */
    public static boolean available() {
        if (io.github.widenet.layers.WidenetSettings.isOn(
                io.github.widenet.layers.WidenetSettings.Setting.ONEDNN_DIRECT_DISABLE)) {
            return false;
        }
        try {
            return Holder.ENGINE != null;
        } catch (Throwable t) {
            return false;
        }
    }

    /** Why oneDNN's Java API is not usable, or null when it is. */
    public static String problem() {
        try {
            return Holder.PROBLEM;
        } catch (Throwable t) {
            return t.toString();
        }
    }

    static engine engine() {
        if (Holder.ENGINE == null) {
            throw new IllegalStateException("oneDNN's Java API is not usable here: " + Holder.PROBLEM);
        }
        return Holder.ENGINE;
    }
}
