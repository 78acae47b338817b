package io.github.widenet.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before a Spark context is started, that a standalone master ({@code spark://host:port[,host:port]}) accepts
 * connections: Spark itself retries an unreachable master for about a minute and then fails with pages of traces, so
 * this answers in seconds with one line naming the URL and the cause. Other masters (local, yarn, k8s) pass.
 */
final class MasterProbe {

    static final int TIMEOUT_MILLIS = 3000;

    private MasterProbe() {
    }

    /** @throws UncheckedIOException when no master of a standalone URL can be reached */
    static void check(MasterUrl master) {
        if (!master.url().startsWith("spark://")) {
            return;
        }
        List<String> causes = new ArrayList<>();
        for (String hostPort : master.url().substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
                return;
            } catch (IOException e) {
                causes.add(hostPort + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        throw new UncheckedIOException(new IOException("cannot reach the Spark master " + master.url() + " ("
                + String.join("; ", causes) + "); start it, or check --master"));
    }
}
