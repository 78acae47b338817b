package io.github.widenet.internal.tangent;

import io.github.widenet.internal.wrap.OutputHead;

/**
 * The README's support table (layer / vertex / head × lazy / linearized / NTK), generated from the tangent-rule
 * registry ({@link TangentRules}), {@link VertexTangents#SUPPORTED} and {@link OutputHead}: the lazy wrapper needs no
 * tangent, so it takes any layer DL4J can train; the linearized wrapper and the NTK take exactly the registered rules.
 * {@code main} prints it.
 */
public final class SupportTable {

    private SupportTable() {
    }

    /** The table in Markdown. */
    public static String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("| layer / vertex / head | lazy | linearized | NTK |\n|---|---|---|---|\n");
        for (TangentRuleRegistration r : TangentRules.registry()) {
            boolean batch = r.name().contains("TRAINING");
            row(b, r.name(), batch ? "yes (h(w0) per minibatch, no cache)" : "yes", "yes",
                    batch ? "uses INFERENCE (per-example kernel)" : "yes");
        }
        row(b, "vertices: " + VertexTangents.SUPPORTED, "yes", "yes", "yes");
        row(b, "Dropout(1.0) (Keras import's no-op)", "removed", "removed", "removed");
        row(b, "active dropout (any IDropout)", "refused; `ignoreDropout(true)`: identity",
                "refused; `ignoreDropout(true)`: identity", "identity");
        String lrn = "refused: DL4J M2.1's LRN backprop is not its derivative (exact tangent rule ready, unregistered)";
        row(b, "LocalResponseNormalization", lrn, lrn, lrn);
        row(b, "any other layer (GravesBidirectionalLSTM, …)", "yes",
                "refused: \"has no tangent rule\"", "refused: \"has no tangent rule\"");
        row(b, "feature masks (variable-length sequences)", "refused (says so)", "refused (says so)",
                "refused (says so)");
        for (String head : OutputHead.SUPPORTED) {
            row(b, "head: " + head, "yes", "yes", "yes");
        }
        for (String head : OutputHead.PER_POSITION) {
            row(b, "head: " + head, "yes", "yes", "refused (per-position logits; says what to do)");
        }
        row(b, "head: " + OutputHead.REFUSED, "refused (says what it is)", "refused (says what it is)",
                "refused (says what it is)");
        return b.toString();
    }

    private static void row(StringBuilder b, String what, String lazy, String linearized, String ntk) {
        b.append("| ").append(what).append(" | ").append(lazy).append(" | ").append(linearized).append(" | ")
                .append(ntk).append(" |\n");
    }

    public static void main(String[] args) {
        System.out.print(markdown());
    }
}
