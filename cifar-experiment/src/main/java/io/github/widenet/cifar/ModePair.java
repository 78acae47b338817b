package io.github.widenet.cifar;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Two modes the theory speaks about, compared on the same test images: plain vs standard (does centring matter),
 * standard vs each lazy α (does laziness cost accuracy), the laziest α vs linearized (is the lazy model its
 * linearization), and with the NTK-regression limit standard, each lazy α and linearized against it (how far training
 * is from its lazy limit).
 */
public record ModePair(Mode a, Mode b) {

    /** The pairs among {@code modes}, in that order; pairs with a missing mode are left out. */
    public static List<ModePair> of(Collection<Mode> modes) {
        List<ModePair> out = new ArrayList<>();
        Mode plain = modes.stream().filter(Mode::isPlain).findFirst().orElse(null);
        Mode standard = modes.stream().filter(Mode::isStandard).findFirst().orElse(null);
        Mode linearized = modes.stream().filter(Mode::isLinearized).findFirst().orElse(null);
        List<Mode> lazy = modes.stream().filter(m -> m.isCentred() && m.alpha() != 1).toList();
        Mode ntk = modes.stream().filter(Mode::isNtkLimit).findFirst().orElse(null);
        if (ntk != null) {
            if (standard != null) {
                out.add(new ModePair(standard, ntk));
            }
            for (Mode m : lazy) {
                out.add(new ModePair(m, ntk));
            }
            if (linearized != null) {
                out.add(new ModePair(linearized, ntk));
            }
        }
        if (plain != null && standard != null) {
            out.add(new ModePair(plain, standard));
        }
        if (standard != null) {
            for (Mode m : lazy) {
                out.add(new ModePair(standard, m));
            }
        }
        Mode laziest = lazy.stream().max((x, y) -> Double.compare(x.alpha(), y.alpha())).orElse(null);
        if (laziest != null && linearized != null) {
            out.add(new ModePair(laziest, linearized));
        }
        return out;
    }

    /** "standard (alpha=1) vs lazy alpha=100". */
    public String label() {
        return a.label() + " vs " + b.label();
    }

    /** Whether this is the lazy-vs-linearized pair, whose prediction agreement the report states. */
    public boolean isLinearizationPair() {
        return b.isLinearized() && a.isCentred();
    }
}
