package io.sift.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on the loopback interface, for services a test starts. */
public final class Ports {

    private static final int ATTEMPTS = 50;

    private Ports() {
    }

    /** A port that was free on 127.0.0.1 a moment ago (the kernel's choice of an ephemeral port). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /**
     * A free port {@code p} such that {@code p + offset} is free as well, for services that take two ports at a fixed
     * distance (Kafka's controller at +1, Elasticsearch's transport at +100).
     */
    public static int freePortWith(int offset) {
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = freePort();
            int other = port + offset;
            if (other > 0 && other <= 65535 && isFree(other)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port p with p+" + offset + " also free after " + ATTEMPTS + " tries");
    }

    /** Whether a server socket can be bound to 127.0.0.1:port right now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
