package io.github.widenet.nd4j;

import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.Nd4jCpu;

/**
 * Turns on oneDNN for DL4J's own convolution/pooling layers on nd4j-native's oneDNN build (far faster VGG training;
 * {@code ./widenet cifar-bench}). Two things stop it in DL4J 1.0.0-M2.1: layer helpers are disabled by default
 * (system property {@value #HELPERS_DISABLED_PROPERTY} defaults to "true"), and DL4J's oneDNN detection looks for a class
 * that moved (bridged by {@link org.nd4j.nativeblas.Nd4jCpu}). The oneDNN natives must be on the classpath
 * ({@code org.nd4j:nd4j-native:1.0.0-M2.1:linux-x86_64-onednn} and {@code org.bytedeco:dnnl:2.5.2-1.5.7}) and be selected
 * with the JavaCPP platform extension {@value #EXTENSION}.
 * <p>
 * Call {@link #configure()} first thing in {@code main}, before anything touches ND4J: the native library is chosen
 * when ND4J loads, and helpers are attached when layers are created.
 */
public final class OneDnn {

    /** DL4J's switch for cuDNN/oneDNN layer helpers ("true" by default in M2.1). */
    public static final String HELPERS_DISABLED_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";
    /** JavaCPP's platform-extension property, which picks the oneDNN build of nd4j-native when both are present. */
    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    public static final String EXTENSION = "-onednn";
    /** Set to "false" to keep the default native build and DL4J's im2col convolutions. */
    public static final String ENABLE_PROPERTY = io.github.widenet.layers.WidenetSettings.Setting.ONEDNN.key();

    private static final String ONEDNN_NATIVES = "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64" + EXTENSION + "/libjnind4jcpu.so";

    private static volatile boolean requested;

    private OneDnn() {
    }

    /**
     * Selects the oneDNN natives and enables DL4J's layer helpers when the oneDNN build is on the classpath, unless the
     * user set {@code widenet.onednn=false} or already chose the properties. Returns whether it requested oneDNN
     * (then call {@link #verify()} once ND4J may load).
     */
    public static boolean configure() {
        if (!io.github.widenet.layers.WidenetSettings.isOn(io.github.widenet.layers.WidenetSettings.Setting.ONEDNN)
                || !nativesOnClasspath()) {
            requested = false;
            return false;
        }
        if (System.getProperty(EXTENSION_PROPERTY) == null) {
            System.setProperty(EXTENSION_PROPERTY, EXTENSION);
        }
        if (System.getProperty(HELPERS_DISABLED_PROPERTY) == null) {
            System.setProperty(HELPERS_DISABLED_PROPERTY, "false");
        }
        requested = EXTENSION.equals(System.getProperty(EXTENSION_PROPERTY));
        return requested;
    }

    /**
     * After {@link #configure()} requested oneDNN: throws {@link IllegalStateException} with the cause if DL4J's layers
     * will not use it (loads ND4J). Does nothing when oneDNN was not requested.
     */
    public static void verify() {
        String why = requested ? inactiveReason() : null;
        if (why != null) {
            throw new IllegalStateException("oneDNN was requested (its natives are on the classpath) but DL4J's layers "
                    + "will not use it: " + why + ". Fix that, or run with -D" + ENABLE_PROPERTY + "=false for DL4J's "
                    + "default convolutions");
        }
    }

    /** Whether nd4j-native's oneDNN build is on the classpath. */
    public static boolean nativesOnClasspath() {
        return OneDnn.class.getClassLoader().getResource(ONEDNN_NATIVES) != null;
    }

    /** Whether DL4J layers created from now on will use oneDNN helpers (loads ND4J if it is not loaded yet). */
    public static boolean helpersActive() {
        return inactiveReason() == null;
    }

    /**
     * Why DL4J's layers will not use oneDNN, in the order DL4J checks (helper switch, backend, ND4J's helper switch,
     * the native library), or null when they will. Loads ND4J.
     */
    public static String inactiveReason() {
        if (Boolean.parseBoolean(System.getProperty(HELPERS_DISABLED_PROPERTY, "true"))) {
            return "DL4J's layer helpers are disabled (" + HELPERS_DISABLED_PROPERTY + "="
                    + System.getProperty(HELPERS_DISABLED_PROPERTY, "true (default)") + ")";
        }
        String backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
        if (!"CPU".equalsIgnoreCase(backend)) {
            return "the ND4J backend is " + backend + ", not CPU";
        }
        if (!Nd4j.getEnvironment().helpersAllowed()) {
            return "ND4J's helpers are switched off (Nd4j.getEnvironment().allowHelpers(false))";
        }
        boolean on = Nd4jCpu.Environment.getInstance().isUseMKLDNN();
        Throwable failure = Nd4jCpu.Environment.failure();
        if (failure != null) {
            return "the oneDNN query of the native library failed: " + failure;
        }
        if (!on) {
            return "the loaded nd4j-native library has no oneDNN (" + (nativesOnClasspath() ? "platform extension "
                    + System.getProperty(EXTENSION_PROPERTY, "none") + "; set " + EXTENSION_PROPERTY + "=" + EXTENSION
                    + " before ND4J loads" : "default build; add nd4j-native's linux-x86_64-onednn classifier") + ")";
        }
        if (!BaseMKLDNNHelper.mklDnnEnabled()) {
            return "DL4J's own oneDNN check failed earlier in this JVM";
        }
        return null;
    }

    /** One line for logs and manifests, e.g. "oneDNN helpers active (nd4j-native linux-x86_64-onednn)". */
    public static String describe() {
        String why = inactiveReason();
        return why == null ? "oneDNN helpers active (nd4j-native linux-x86_64" + EXTENSION + ")"
                : "oneDNN helpers off: " + why;
    }
}
