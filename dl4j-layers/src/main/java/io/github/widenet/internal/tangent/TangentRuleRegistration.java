package io.github.widenet.internal.tangent;

import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A tangent rule's entry in the registry ({@link TangentRules}), declared as a constant beside the rule itself: the layer
 * configuration classes it handles (exact classes, so an unknown subclass is never linearized by a rule written for its
 * parent), how to make the rule, and what it checks in a layer's settings at wrap time.
 *
 * @param name    the supported layers as listed in error messages, e.g. "SubsamplingLayer (MAX, AVG)"
 * @param classes the layer configuration classes handled
 * @param rule    a fresh rule instance (rules may keep per-layer helpers)
 * @param check   throws {@link UnsupportedLayerException} for settings the rule cannot handle (layer, where)
 */
record TangentRuleRegistration(String name, Set<Class<? extends Layer>> classes, Supplier<TangentRule> rule,
                               BiConsumer<Layer, String> check) {

    /** A rule that accepts every setting of its layers. */
    static TangentRuleRegistration of(String name, Supplier<TangentRule> rule, Set<Class<? extends Layer>> classes) {
        return new TangentRuleRegistration(name, classes, rule, (layer, where) -> {
        });
    }

    boolean handles(Layer conf) {
        return classes.contains(conf.getClass());
    }
}
