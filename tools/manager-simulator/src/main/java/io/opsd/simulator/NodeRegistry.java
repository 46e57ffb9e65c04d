package io.opsd.simulator;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.opsd.grpc.manager.RegisterNodeRequest;

/** The nodes that registered, by node id. Thread-safe. */
public final class NodeRegistry {

    static final String UNKNOWN = "unknown";

    private final Map<String, RegisteredNode> nodes = new ConcurrentHashMap<>();

    /** Registers or re-registers; a re-registration replaces every field. */
    public RegisteredNode register(RegisterNodeRequest request, long receivedAtMs) {
        RegisteredNode node = new RegisteredNode(request.getNodeId(), request.getHostname(), request.getIp(),
            request.getOs(), request.getArch(), request.getLabelsMap(), request.getDaemonVersion(),
            request.getAgentVersion(), receivedAtMs, 0, 0, false);
        nodes.put(node.nodeId(), node);
        return node;
    }

    /** Records a heartbeat of a known node; false when the node is unknown (and nothing changes). */
    public boolean heartbeat(String nodeId, long receivedAtMs, long timestamp) {
        return nodes.computeIfPresent(nodeId, (id, node) -> node.heartbeat(receivedAtMs, timestamp)) != null;
    }

    /** As the real Manager: a heartbeat from an unknown node registers it with "unknown" fields. */
    public void heartbeatOrAutoRegister(String nodeId, long receivedAtMs, long timestamp) {
        nodes.compute(nodeId, (id, node) -> node != null ? node.heartbeat(receivedAtMs, timestamp)
            : new RegisteredNode(id, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, Map.of(), UNKNOWN, UNKNOWN, receivedAtMs,
                receivedAtMs, timestamp, true));
    }

    public Optional<RegisteredNode> node(String nodeId) {
        return Optional.ofNullable(nodes.get(nodeId));
    }

    public List<RegisteredNode> nodes() {
        return nodes.values().stream().sorted(Comparator.comparing(RegisteredNode::nodeId)).toList();
    }

    /** The Manager lost its database: every node must register again. */
    public void forgetAll() {
        nodes.clear();
    }
}
