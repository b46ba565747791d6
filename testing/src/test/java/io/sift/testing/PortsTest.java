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
    void restartablePortsLieBelowTheEphemeralRange() {
        int ephemeralStart = Ports.ephemeralRangeStart();
        assertTrue(ephemeralStart > 1024 && ephemeralStart <= 65535, "read the kernel's range: " + ephemeralStart);
        int port = Ports.freeRestartablePortWith(100);
        assertTrue(port + 100 < ephemeralStart, port + " and " + (port + 100) + " lie below " + ephemeralStart);
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
