package io.sift.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

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

    /**
     * As {@link #freePortWith(int)}, but below the kernel's ephemeral port range (Linux:
     * {@code /proc/sys/net/ipv4/ip_local_port_range}), for a service a test stops and starts again on the same port:
     * while it is down, a client that keeps reconnecting to a port in that range can be handed that very port as its
     * own source port (a TCP self-connect), and the restarted service then finds its port taken.
     */
    public static int freeRestartablePortWith(int offset) {
        int ephemeralLow = ephemeralRangeStart();
        int low = 10_000;
        int high = ephemeralLow - offset - 1;
        if (high <= low) {
            return freePortWith(offset);
        }
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = ThreadLocalRandom.current().nextInt(low, high);
            if (isFree(port) && isFree(port + offset)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port p in [" + low + ", " + high + ") with p+" + offset
                + " also free after " + ATTEMPTS + " tries");
    }

    /** The first ephemeral port of the kernel (32768, Linux's default, when the setting cannot be read). */
    static int ephemeralRangeStart() {
        try {
            // readAllLines: readString and readAllBytes trust the size procfs reports, and can read a truncated value
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).strip();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
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
