package io.github.widenet.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.javacpp.BytePointer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A DL4J network as a zip of its configuration JSON and the raw bytes of its flattened parameters and updater state —
 * what ModelSerializer stores, at memory speed. ModelSerializer in DL4J 1.0.0-M2.1 writes arrays one element at a time:
 * a 250,000-unit MNIST network (196 M parameters) took minutes to save and its checkpoint zip is then copied
 * once more to add an entry; this copies the off-heap buffers in 8 MiB blocks, uncompressed (floats barely compress).
 * Networks restored from it equal the saved ones bit for bit (parameters, updater state, iteration and epoch counts,
 * which the configuration JSON carries).
 */
final class RawModelFile {

    static final String CONFIG = "configuration.json";
    static final String PARAMS = "params.raw";
    static final String UPDATER = "updater-state.raw";
    static final String META = "raw-arrays.json";
    private static final int BLOCK = 8 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private RawModelFile() {
    }

    /** Writes {@code net} and the extra text entries (name → UTF-8 text) to {@code out}. */
    static void write(Model net, Map<String, String> extraEntries, OutputStream out) throws IOException {
        String config;
        INDArray updater;
        if (net instanceof MultiLayerNetwork mln) {
            config = mln.getLayerWiseConfigurations().toJson();
            updater = mln.getUpdater() == null ? null : mln.getUpdater().getStateViewArray();
        } else if (net instanceof ComputationGraph cg) {
            config = cg.getConfiguration().toJson();
            updater = cg.getUpdater() == null ? null : cg.getUpdater().getStateViewArray();
        } else {
            throw new IllegalArgumentException("checkpoints hold a MultiLayerNetwork or ComputationGraph, got "
                    + net.getClass().getName());
        }
        INDArray params = net.params();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("modelType", net instanceof ComputationGraph ? "ComputationGraph" : "MultiLayerNetwork");
        meta.put("byteOrder", ByteOrder.nativeOrder().toString());
        meta.put("paramsType", params.dataType().name());
        meta.put("paramsLength", params.length());
        meta.put("updaterType", updater == null ? null : updater.dataType().name());
        meta.put("updaterLength", updater == null ? 0 : updater.length());
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(Deflater.NO_COMPRESSION);
            text(zip, META, JSON.writeValueAsString(meta));
            text(zip, CONFIG, config);
            for (Map.Entry<String, String> e : extraEntries.entrySet()) {
                text(zip, e.getKey(), e.getValue());
            }
            zip.putNextEntry(new ZipEntry(PARAMS));
            copyOut(params, zip);
            zip.closeEntry();
            if (updater != null) {
                zip.putNextEntry(new ZipEntry(UPDATER));
                copyOut(updater, zip);
                zip.closeEntry();
            }
        }
    }

    /** Whether {@code file} was written by {@link #write} (else it may be a ModelSerializer zip). */
    static boolean isRawModel(File file) throws IOException {
        try (ZipFile zip = new ZipFile(file)) {
            return zip.getEntry(META) != null;
        }
    }

    /** The UTF-8 text of entry {@code name}, or null when absent. */
    static String text(File file, String name) throws IOException {
        try (ZipFile zip = new ZipFile(file)) {
            ZipEntry e = zip.getEntry(name);
            if (e == null) {
                return null;
            }
            try (InputStream in = zip.getInputStream(e)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    /** Restores the network written to {@code file}. */
    static Model read(File file) throws IOException {
        try (ZipFile zip = new ZipFile(file)) {
            Map<String, Object> meta = JSON.readValue(entryText(zip, file, META),
                    new TypeReference<LinkedHashMap<String, Object>>() {
                    });
            if (!ByteOrder.nativeOrder().toString().equals(meta.get("byteOrder"))) {
                throw new IOException(file + ": written on a " + meta.get("byteOrder") + " machine, this one is "
                        + ByteOrder.nativeOrder());
            }
            String config = entryText(zip, file, CONFIG);
            INDArray params = copyIn(zip, file, PARAMS, DataType.valueOf((String) meta.get("paramsType")),
                    ((Number) meta.get("paramsLength")).longValue());
            long updaterLength = ((Number) meta.get("updaterLength")).longValue();
            INDArray updater = updaterLength == 0 ? null : copyIn(zip, file, UPDATER,
                    DataType.valueOf((String) meta.get("updaterType")), updaterLength);
            if ("ComputationGraph".equals(meta.get("modelType"))) {
                ComputationGraph cg = new ComputationGraph(ComputationGraphConfiguration.fromJson(config));
                cg.init(params, false);
                if (updater != null) {
                    cg.getUpdater().setStateViewArray(updater);
                }
                return cg;
            }
            MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(config));
            net.init(params, false);
            if (updater != null) {
                net.getUpdater().setStateViewArray(net, updater, false);
            }
            return net;
        }
    }

    private static void text(ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    private static String entryText(ZipFile zip, File file, String name) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new IOException(file + ": checkpoint entry '" + name + "' is missing (incomplete or foreign file)");
        }
        try (InputStream in = zip.getInputStream(e)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The array's elements in logical 'c' order, as raw native-order bytes. */
    private static void copyOut(INDArray array, OutputStream out) throws IOException {
        INDArray a = array.isView() || array.ordering() != 'c' && !array.isVector() ? array.dup('c') : array;
        long bytes = a.length() * a.dataType().width();
        BytePointer p = new BytePointer(a.data().addressPointer()).capacity(bytes);
        byte[] buf = new byte[(int) Math.min(BLOCK, Math.max(1, bytes))];
        for (long pos = 0; pos < bytes; pos += buf.length) {
            int n = (int) Math.min(buf.length, bytes - pos);
            p.position(pos).get(buf, 0, n);
            out.write(buf, 0, n);
        }
    }

    private static INDArray copyIn(ZipFile zip, File file, String name, DataType type, long length) throws IOException {
        ZipEntry e = zip.getEntry(name);
        long bytes = length * type.width();
        if (e == null || e.getSize() != -1 && e.getSize() != bytes) {
            throw new IOException(file + ": entry '" + name + "' is " + (e == null ? "missing" : e.getSize()
                    + " bytes, expected " + bytes) + " (incomplete or foreign checkpoint)");
        }
        INDArray a = Nd4j.createUninitialized(type, new long[]{1, length}, 'c');
        BytePointer p = new BytePointer(a.data().addressPointer()).capacity(bytes);
        byte[] buf = new byte[(int) Math.min(BLOCK, Math.max(1, bytes))];
        try (InputStream in = zip.getInputStream(e)) {
            long pos = 0;
            while (pos < bytes) {
                int n = in.readNBytes(buf, 0, (int) Math.min(buf.length, bytes - pos));
                if (n <= 0) {
                    throw new IOException(file + ": entry '" + name + "' ends after " + pos + " of " + bytes + " bytes");
                }
                p.position(pos).put(buf, 0, n);
                pos += n;
            }
        }
        return a;
    }
}
