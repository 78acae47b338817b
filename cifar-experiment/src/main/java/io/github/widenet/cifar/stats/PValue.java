package io.github.widenet.cifar.stats;

import java.util.Locale;

/**
 * p-values as numbers with two significant digits in scientific notation below 0.001 ("5.6e-165", "0.032", "1.0"), so
 * a tiny p is never printed as "0.0"; a p that underflowed a double (below 4.9e-324) is "< 4.9e-324".
 */
public final class PValue {

    private PValue() {
    }

    /** "5.6e-165", "0.032", "1.0"; NaN as "n/a". */
    public static String format(double p) {
        if (Double.isNaN(p)) {
            return "n/a";
        }
        if (p == 0) {
            return "< 4.9e-324";                  // the smallest positive double
        }
        return p < 1e-3 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.2g", p);
    }

    /** "= 5.6e-165" or "< 4.9e-324", to follow "p". */
    public static String relation(double p) {
        String f = format(p);
        return f.startsWith("<") ? f : "= " + f;
    }
}
