package io.github.widenet.train;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A named set of option values (a preset) applied to a parsed picocli command: each value is written as on a command
 * line and converted by picocli itself (the option's own type, split and converters), so a preset needs no code per
 * option. {@code ./widenet cifar --preset paper --epochs 3}: the preset's values, then what the user gave wins.
 */
public final class PresetOptions {

    private PresetOptions() {
    }

    /**
     * Sets on {@code spec}'s command every option of {@code values} (name → text) that {@code apply} accepts; returns
     * those set, in order. An option the command does not have is an error naming it.
     */
    public static Map<String, String> apply(CommandSpec spec, Map<String, String> values, Predicate<String> apply) {
        Map<String, String> applied = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!apply.test(e.getKey())) {
                continue;
            }
            OptionSpec o = spec.findOption(e.getKey());
            if (o == null) {
                throw new IllegalStateException("the preset sets " + e.getKey() + ", which '" + spec.name()
                        + "' does not have");
            }
            try {
                o.setValue(converted(o, e.getValue()));
            } catch (Exception ex) {
                throw new IllegalStateException("the preset's " + e.getKey() + " '" + e.getValue() + "': "
                        + ex.getMessage(), ex);
            }
            applied.put(e.getKey(), e.getValue());
        }
        return applied;
    }

    /** {@code text} as option {@code o}'s value: "true"/"false" for a flag, otherwise parsed as picocli parses it. */
    static Object converted(OptionSpec o, String text) {
        if (o.arity().max() == 0) {
            return Boolean.parseBoolean(text);
        }
        Holder value = new Holder();
        OptionSpec copy = OptionSpec.builder(o).getter(value).setter(value).build();
        new CommandLine(CommandSpec.create().addOption(copy)).parseArgs(o.longestName(), text);
        return value.value;
    }

    /** Where the probe parse writes its converted value. */
    private static final class Holder implements IGetter, ISetter {
        private Object value;

        @SuppressWarnings("unchecked")
        @Override
        public <T> T get() {
            return (T) value;
        }

        @Override
        public <T> T set(T v) {
            Object old = value;
            value = v;
            @SuppressWarnings("unchecked") T t = (T) old;
            return t;
        }
    }
}
