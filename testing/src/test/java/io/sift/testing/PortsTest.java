package io.sift.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void freePortCanBeBound() throws Exception {
        int port = Ports.freePort();
        assertTrue(port > 0 && port <= 65535);
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, socket.getLocalPort());
        }
    }

    @Test
    void freePortWithOffsetLeavesBothFree() {
        int port = Ports.freePortWith(100);
        assertTrue(Ports.isFree(port));
        assertTrue(Ports.isFree(port + 100));
    }

    @Test
    void boundPortIsNotFree() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertFalse(Ports.isFree(socket.getLocalPort()));
        }
    }

    @Test
    void fixedInstantsAreFixed() {
        assertEquals(Instant.parse("2026-11-02T09:00:00Z"), FixedInstants.T0);
        assertEquals(60, FixedInstants.T1.getEpochSecond() - FixedInstants.T0.getEpochSecond());
    }
}
