package io.opsd.api.node;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable description of the node.
 *
 * @param nodeId stable node id
 * @param hostname the kernel's host name
 * @param address the address the Manager should call back: {@code advertise_address} if set, else the primary
 *     non-loopback IP of the host (the interface of the default route when there is one)
 * @param os operating system in Go's GOOS spelling ({@code linux}), as the Manager expects
 * @param arch processor architecture in Go's GOARCH spelling ({@code amd64}, {@code arm64})
 * @param labels operator labels, insertion ordered
 * @param opsdVersion version of the running opsd
 */
public record NodeInfo(String nodeId, String hostname, String address, String os, String arch,
                       Map<String, String> labels, String opsdVersion) {

    public NodeInfo {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(opsdVersion, "opsdVersion");
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }
}
