package io.github.widenet.layers;

import java.util.List;
import java.util.Locale;

/**
 * The JVM system properties that tune widenet-dl4j, in one place: each {@link Setting} has its key, default, allowed
 * values and meaning, and every class reads its property through {@link #value}, {@link #isOn} or {@link #number}, which
 * refuse a value outside the allowed ones with a message naming the property. The README's table is
 * {@link #markdownTable()}.
 *
 * <pre>
 *   java -Dwidenet.checkFinite=false …         (DL4J's silent NaN propagation)
 *   WidenetSettings.isOn(Setting.CHECK_FINITE)  → false
 * </pre>
 */
public final class WidenetSettings {

    /** One property: key, default, allowed values (empty: a whole number ≥ 0) and what it does. */
    public enum Setting {
        CHECK_FINITE("widenet.checkFinite", "true", List.of("true", "false"),
                "the widenet layers check every input batch and, once an output is not finite, their parameters for "
                        + "NaN/Inf and stop with a message naming the layer and iteration; false: DL4J's silent "
                        + "propagation (also NonFiniteCheck.setEnabled)"),
        CONV_FORWARD("widenet.conv.forward", "direct", List.of("direct", "nd4j"),
                "FastConvolutionLayer's forward pass: oneDNN's convolution with the activation fused (direct) or "
                        + "DL4J's (nd4j)"),
        CONV_BACKWARD("widenet.conv.backward", "auto", List.of("auto", "direct", "nd4j"),
                "FastConvolutionLayer's backward pass: a fixed per-shape rule (auto), always oneDNN's direct "
                        + "kernels, or always ND4J's conv2d_bp"),
        CONV_NHWC_FORWARD("widenet.conv.nhwcForward", "auto", List.of("auto", "nhwc", "blocked"),
                "NHWC forward convolutions: in place for narrow layers (auto), always in place, or through oneDNN's "
                        + "blocked layout"),
        ONEDNN_DIRECT_DISABLE("widenet.onednn.direct.disable", "false", List.of("true", "false"),
                "true turns off every direct oneDNN path (ND4J's ops run instead)"),
        INNER_RECYCLE("widenet.inner.recycle", "true", List.of("true", "false"),
                "the lazy/linearized wrappers recycle the embedded network's arrays between passes; false: fresh "
                        + "arrays every pass (for comparisons)"),
        KERNELS_DISABLE("widenet.kernels.disable", "false", List.of("true", "false"),
                "true turns off the Vector API kernels of the ReLU blocks (ND4J's ops run instead)"),
        KERNELS_MIN_VALUES("widenet.kernels.minValues", "2000000", List.of(),
                "the fewest hidden values (batch × m) for which the ReLU-block kernels are used"),
        ONEDNN("widenet.onednn", "true", List.of("true", "false"),
                "the experiments select nd4j-native's oneDNN build and DL4J's layer helpers when its natives are on "
                        + "the classpath; false: the default build and DL4J's im2col convolutions");

        private final String key;
        private final String defaultValue;
        private final List<String> choices;
        private final String meaning;

        Setting(String key, String defaultValue, List<String> choices, String meaning) {
            this.key = key;
            this.defaultValue = defaultValue;
            this.choices = choices;
            this.meaning = meaning;
        }

        /** The system property's name, e.g. {@code widenet.checkFinite}. */
        public String key() {
            return key;
        }

        public String defaultValue() {
            return defaultValue;
        }

        /** The allowed values; empty for a whole number ≥ 0. */
        public List<String> choices() {
            return choices;
        }

        public String meaning() {
            return meaning;
        }
    }

    private WidenetSettings() {
    }

    /** The property's value (its default when unset), lower-cased for choices; refuses a value not allowed. */
    public static String value(Setting s) {
        String raw = System.getProperty(s.key, s.defaultValue).trim();
        if (s.choices.isEmpty()) {
            try {
                if (Long.parseLong(raw) >= 0) {
                    return raw;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw new IllegalArgumentException("system property " + s.key + " = '" + raw
                    + "': expected a whole number >= 0 (default " + s.defaultValue + ")");
        }
        String v = raw.toLowerCase(Locale.ROOT);
        if (!s.choices.contains(v)) {
            throw new IllegalArgumentException("system property " + s.key + " = '" + raw + "': expected "
                    + String.join(", ", s.choices) + " (default " + s.defaultValue + ")");
        }
        return v;
    }

    /** A true/false setting's value. */
    public static boolean isOn(Setting s) {
        if (!s.choices.equals(List.of("true", "false"))) {
            throw new IllegalArgumentException(s.key + " is not a true/false setting");
        }
        return value(s).equals("true");
    }

    /** A numeric setting's value. */
    public static long number(Setting s) {
        if (!s.choices.isEmpty()) {
            throw new IllegalArgumentException(s.key + " is not a numeric setting");
        }
        return Long.parseLong(value(s));
    }

    /**
     * Why FastConvolutionLayer and FastSubsamplingLayer do not run oneDNN's direct kernels in this JVM (ND4J's ops run
     * instead), or null when they do: disabled by {@link Setting#ONEDNN_DIRECT_DISABLE}, or oneDNN's Java API missing.
     */
    public static String oneDnnDirectProblem() {
        if (isOn(Setting.ONEDNN_DIRECT_DISABLE)) {
            return Setting.ONEDNN_DIRECT_DISABLE.key + "=true";
        }
        return io.github.widenet.internal.onednn.OneDnnAvailability.problem();
    }

    /**
     * Why the fused ReLU-block kernels (JDK Vector API) of the width-scaled layers do not run in this JVM, or null when
     * they can (they still run only above {@link Setting#KERNELS_MIN_VALUES} hidden values).
     */
    public static String reluKernelsProblem() {
        return io.github.widenet.internal.kernel.ReluBlockKernels.problem();
    }

    /** The README's table: property, default, values, meaning. */
    public static String markdownTable() {
        StringBuilder b = new StringBuilder("| property | default | values | meaning |\n|---|---|---|---|\n");
        for (Setting s : Setting.values()) {
            b.append("| `").append(s.key).append("` | ").append(s.defaultValue).append(" | ")
                    .append(s.choices.isEmpty() ? "whole number ≥ 0" : String.join(", ", s.choices)).append(" | ")
                    .append(s.meaning).append(" |\n");
        }
        return b.toString();
    }

    /** Prints {@link #markdownTable()}, to paste into the README. */
    public static void main(String[] args) {
        System.out.print(markdownTable());
    }
}
