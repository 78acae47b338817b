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
 * cannot return a wrong output). Used by the lazy layer so the initial model is evaluated once per distinct example.
 */
final class InitialOutputCache {

    private final int maxEntries;
    private final Map<Long, Entry> map;
    private long hits;
    private long misses;

    private record Entry(long check, double[] output) {
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
        INDArray rows = x.reshape('c', n, x.length() / n);
        double[][] data = rows.toDoubleMatrix();
        long[] keys = new long[n];
        long[] checks = new long[n];
        double[][] out = new double[n][];
        int[] missing = new int[n];
        int nMissing = 0;
        for (int i = 0; i < n; i++) {
            keys[i] = hash(data[i], 0x9E3779B97F4A7C15L);
            checks[i] = hash(data[i], 0xC2B2AE3D27D4EB4FL);
            Entry e = map.get(keys[i]);
            if (e != null && e.check == checks[i]) {
                out[i] = e.output;
                hits++;
            } else {
                missing[nMissing++] = i;
            }
        }
        misses += nMissing;
        if (nMissing > 0) {
            INDArray sub = nMissing == n ? x : x.get(org.nd4j.linalg.indexing.NDArrayIndex.indices(
                    java.util.Arrays.stream(missing, 0, nMissing).asLongStream().toArray()));
            double[][] computed = compute.apply(sub).toDoubleMatrix();
            for (int j = 0; j < nMissing; j++) {
                int i = missing[j];
                out[i] = computed[j];
                map.put(keys[i], new Entry(checks[i], computed[j]));
            }
        }
        DataType type = x.dataType().isFPType() ? x.dataType() : DataType.FLOAT;
        return Nd4j.create(out).castTo(type);
    }

    private static long hash(double[] row, long seed) {
        long h = seed ^ row.length;
        for (double v : row) {
            h ^= Double.doubleToLongBits(v);
            h *= 0xFF51AFD7ED558CCDL;
            h ^= h >>> 33;
            h += seed;
        }
        h ^= h >>> 29;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 32);
    }
}
