package io.sift.gateway;

/**
 * A gateway in a process of its own, for the loss test to kill: {@code GatewayProcess <bootstrap> <alerts topic>
 * <metrics topic> <dead-letter topic>}; prints {@code PORT=<port>} once it listens.
 */
public final class GatewayProcess {

    private GatewayProcess() {}

    public static void main(String[] args) throws Exception {
        GatewaySettings settings = GatewaySettings.defaults(args[0]).withListen("127.0.0.1", 0)
                .withTopics(args[1], args[2], args[3]).withIoThreads(2);
        GatewayServer server = GatewayServer.start(settings);
        System.out.println("PORT=" + server.port());
        System.out.flush();
        server.awaitClose();
    }
}
