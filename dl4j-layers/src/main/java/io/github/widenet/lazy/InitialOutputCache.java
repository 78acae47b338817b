package io.github.widenet.lazy;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A bounded LRU cache of the frozen initial model's outputs h(w0, x), keyed by the content of each input row: two
 * independent 64-bit hashes of the row's values (the second one is checked on every hit, so a collision of the key hash
 * cannot return a wrong output); each example's output keeps its own shape (per-position logits [K, H, W] or [K, T]).
 * Used by the lazy layer so the initial model is evaluated once per distinct example.
 */
final class InitialOutputCache {

    private final int maxEntries;
    private final Map<Long, Entry> map;
    private long hits;
    private long misses;

    /** One example's output: its values and its shape without the batch dimension ([K], or [K, H, W], [K, T]...). */
    private record Entry(long check, double[] output, long[] shape) {
    }

    InitialOutputCache(int maxEntries) {
        this.maxEntries = maxEntries;
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Entry> eldest) {
                return size() > InitialOutputCache.this.maxEntries;
            }
        };
    }

    void clear() {
        map.clear();
    }

    long hits() {
        return hits;
    }

    long misses() {
        return misses;
    }

    /**
     * h(w0, x) for a batch: cached rows are reused, the others are computed together by {@code compute} (called on the
     * sub-batch of missing rows) and stored.
     */
    INDArray outputs(INDArray x, Function<INDArray, INDArray> compute) {
        int n = (int) x.size(0);
        int d = (int) (x.length() / n);
        long[] keys = new long[n];
        long[] checks = new long[n];
        if (x.dataType() == DataType.DOUBLE) {
            double[] flat = x.dup('c').data().asDouble();
            for (int i = 0; i < n; i++) {
                hash(flat, i * d, d, keys, checks, i);
            }
        } else {
            INDArray f = x.castTo(DataType.FLOAT);
            boolean whole = !f.isView() && f.ordering() == 'c' && f.data().length() == f.length();
            float[] flat = (whole ? f : f.dup('c')).data().asFloat();
            for (int i = 0; i < n; i++) {
                hash(flat, i * d, d, keys, checks, i);
            }
        }
        Entry[] out = new Entry[n];
        int[] missing = new int[n];
        int nMissing = 0;
        for (int i = 0; i < n; i++) {
            Entry e = map.get(keys[i]);
            if (e != null && e.check == checks[i]) {
                out[i] = e;
                hits++;
            } else {
                missing[nMissing++] = i;
            }
        }
        misses += nMissing;
        if (nMissing > 0) {
            INDArray rows = x.isView() ? x.dup('c') : x;      // ND4J's indices() on a view of a bigger array failed (NPE)
            INDArray sub = nMissing == n ? x : rows.get(org.nd4j.linalg.indexing.NDArrayIndex.indices(
                    java.util.Arrays.stream(missing, 0, nMissing).asLongStream().toArray()));
            INDArray computed = compute.apply(sub);
            int k = (int) (computed.length() / nMissing);
            long[] shape = java.util.Arrays.copyOfRange(computed.shape(), 1, computed.rank());
            double[] values = computed.dup('c').data().asDouble();
            for (int j = 0; j < nMissing; j++) {
                int i = missing[j];
                out[i] = new Entry(checks[i], java.util.Arrays.copyOfRange(values, j * k, (j + 1) * k), shape);
                map.put(keys[i], out[i]);
            }
        }
        int k = out[0].output().length;
        double[] all = new double[n * k];
        for (int i = 0; i < n; i++) {
            System.arraycopy(out[i].output(), 0, all, i * k, k);
        }
        long[] shape = new long[out[0].shape().length + 1];
        shape[0] = n;
        System.arraycopy(out[0].shape(), 0, shape, 1, shape.length - 1);
        DataType type = x.dataType().isFPType() ? x.dataType() : DataType.FLOAT;
        return Nd4j.create(all, shape, DataType.DOUBLE).castTo(type);
    }

    private static final long SEED_KEY = 0x9E3779B97F4A7C15L;
    private static final long SEED_CHECK = 0xC2B2AE3D27D4EB4FL;

    /** Two independent 64-bit hashes of a row in one pass: keys[row] and checks[row]. */
    private static void hash(double[] a, int from, int length, long[] keys, long[] checks, int row) {
        long h1 = SEED_KEY ^ length;
        long h2 = SEED_CHECK ^ length;
        for (int i = from; i < from + length; i++) {
            long bits = Double.doubleToLongBits(a[i]);
            h1 = mix(h1, bits, SEED_KEY);
            h2 = mix(h2, bits, SEED_CHECK);
        }
        keys[row] = finish(h1);
        checks[row] = finish(h2);
    }

    /**
     * The float rows (the common case) go four values per iteration: two values packed in one long, two independent
     * lanes per hash (one multiply chain per value, as the double rows, was a visible share of a lazy VGG-11 ÷4 step).
     */
    private static void hash(float[] a, int from, int length, long[] keys, long[] checks, int row) {
        long k0 = SEED_KEY ^ length;
        long k1 = k0 + 1;
        long c0 = SEED_CHECK ^ length;
        long c1 = c0 + 1;
        int i = from;
        int end = from + length;
        for (; i + 3 < end; i += 4) {
            long p = pack(a[i], a[i + 1]);
            long q = pack(a[i + 2], a[i + 3]);
            k0 = mix(k0, p, SEED_KEY);
            k1 = mix(k1, q, SEED_KEY);
            c0 = mix(c0, p, SEED_CHECK);
            c1 = mix(c1, q, SEED_CHECK);
        }
        for (; i < end; i++) {
            long bits = Float.floatToIntBits(a[i]) & 0xFFFFFFFFL;
            k0 = mix(k0, bits, SEED_KEY);
            c0 = mix(c0, bits, SEED_CHECK);
        }
        keys[row] = finish(k0 ^ Long.rotateLeft(finish(k1), 29));
        checks[row] = finish(c0 ^ Long.rotateLeft(finish(c1), 29));
    }

    private static long pack(float x, float y) {
        return ((long) Float.floatToIntBits(x) << 32) | (Float.floatToIntBits(y) & 0xFFFFFFFFL);
    }

    private static long mix(long h, long bits, long seed) {
        h ^= bits;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h + seed;
    }

    private static long finish(long h) {
        h ^= h >>> 29;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 32);
    }
}
