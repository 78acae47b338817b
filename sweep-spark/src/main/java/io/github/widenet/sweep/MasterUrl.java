package io.github.widenet.sweep;

import java.util.regex.Pattern;

/**
 * A checked Spark master URL: {@code local}, {@code local[N]}, {@code local[*]}, {@code local[N,maxFailures]}, a
 * standalone {@code spark://host:port} (several masters comma-separated), {@code yarn} or {@code k8s://...}. Anything
 * else is refused with a message naming --master and the value, before Spark starts.
 */
public record MasterUrl(String url) {

    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|[1-9][0-9]*)(,[1-9][0-9]*)?])?");
    private static final Pattern STANDALONE =
            Pattern.compile("spark://[A-Za-z0-9._\\-\\[\\]:]+:[0-9]{1,5}(,[A-Za-z0-9._\\-\\[\\]:]+:[0-9]{1,5})*");

    /** The default: one task at a time in this JVM. */
    public static final String DEFAULT = "local[1]";

    public MasterUrl {
        if (url == null || !(LOCAL.matcher(url).matches() || STANDALONE.matcher(url).matches() || url.equals("yarn")
                || (url.startsWith("k8s://") && url.length() > "k8s://".length()))) {
            throw new IllegalArgumentException("--master: '" + url + "' is not a Spark master URL (use local[N], "
                    + "local[N,maxFailures], local[*], spark://host:port, yarn or k8s://https://host:port)");
        }
    }

    /** Whether tasks run in this JVM (local mode), where every task shares this process's ND4J. */
    public boolean local() {
        return url.startsWith("local");
    }
}
