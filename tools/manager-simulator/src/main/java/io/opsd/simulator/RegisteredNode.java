package io.opsd.simulator;

import java.util.Map;

/**
 * A node as the simulated Manager knows it.
 *
 * @param lastHeartbeatMs        Unix ms when its last Heartbeat arrived, 0 before the first
 * @param lastHeartbeatTimestamp the {@code timestamp} (Unix s) its last Heartbeat carried, 0 before the first
 * @param autoRegistered         true when it was created by a Heartbeat from an unknown node
 */
public record RegisteredNode(
    String nodeId,
    String hostname,
    String ip,
    String os,
    String arch,
    Map<String, String> labels,
    String daemonVersion,
    String agentVersion,
    long registeredAtMs,
    long lastHeartbeatMs,
    long lastHeartbeatTimestamp,
    boolean autoRegistered) {

    /** The label a node uses to tell on which port it serves DaemonService. */
    public static final String GRPC_PORT_LABEL = "opsd.grpc_port";
    /** The real Manager's fixed DaemonService port, used when a node does not send {@link #GRPC_PORT_LABEL}. */
    public static final int DEFAULT_DAEMON_PORT = 9091;

    public RegisteredNode {
        labels = Map.copyOf(labels);
    }

    RegisteredNode heartbeat(long receivedAtMs, long timestamp) {
        return new RegisteredNode(nodeId, hostname, ip, os, arch, labels, daemonVersion, agentVersion, registeredAtMs,
            receivedAtMs, timestamp, autoRegistered);
    }

    /** The DaemonService port from {@link #GRPC_PORT_LABEL}, else {@link #DEFAULT_DAEMON_PORT}. */
    public int daemonPort() {
        String label = labels.get(GRPC_PORT_LABEL);
        if (label == null || label.isBlank()) {
            return DEFAULT_DAEMON_PORT;
        }
        try {
            int port = Integer.parseInt(label.trim());
            if (port > 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException("node " + nodeId + " registered label " + GRPC_PORT_LABEL + " = \"" + label
            + "\", which is not a port");
    }
}
