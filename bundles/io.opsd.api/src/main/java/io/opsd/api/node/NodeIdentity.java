package io.opsd.api.node;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The identity of this node, as registered with the Manager.
 *
 * <p>Values can change at run time when the {@code io.opsd.node} configuration is edited; each call returns
 * the current value. Use {@link #snapshot()} where several values must agree with each other.
 */
@ProviderType
public interface NodeIdentity {

    /** A consistent view of every value at one moment. */
    NodeInfo snapshot();

    /** Stable id: the configured {@code id}, else the UUID kept in {@code data/node_id}. */
    default String nodeId() {
        return snapshot().nodeId();
    }

    /** Labels from the {@code labels} key, in the order written. */
    default Map<String, String> labels() {
        return snapshot().labels();
    }
}
