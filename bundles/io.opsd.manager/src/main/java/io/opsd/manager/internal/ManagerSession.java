package io.opsd.manager.internal;

import java.time.Clock;
import java.util.Collection;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.grpc.StatusRuntimeException;
import io.opsd.api.node.AdvertisedPort;
import io.opsd.api.node.NodeIdentity;
import io.opsd.api.node.NodeInfo;
import io.opsd.grpc.manager.HeartbeatRequest;
import io.opsd.grpc.manager.RegisterNodeRequest;

/**
 * The node's registration with the Manager and its heartbeats: registers at start, again after an outage, when
 * the Manager refuses a heartbeat (it lost the node), when the node's identity changes and when a port is
 * advertised; failed attempts are retried after a {@link Backoff}, one chain of attempts at a time. Runs on the
 * {@link LinkLoop} only.
 */
final class ManagerSession {

    // the link's lines keep the logger name operators know and set levels by
    private static final Logger LOG = LoggerFactory.getLogger(ManagerLink.class);
    static final String PORT_LABEL_PREFIX = "opsd.";

    private final LinkLoop loop;
    private final ManagerCalls calls;
    private final Backoff backoff;
    private final NodeIdentity identity;
    private final Collection<AdvertisedPort> ports;
    /** The Manager's address, for the log. */
    private final String address;
    private final Clock clock;
    private final Runnable onRegistered;

    private boolean registered;
    private boolean connecting;
    /** A retry of the registration is scheduled. */
    private boolean connectScheduled;
    private boolean registerAgain;
    /** What the Manager knows of the node: when the identity changes (labels, address), it registers again. */
    private NodeInfo registeredAs;
    private int registrations;

    /** {@code ports} is a live view; {@code onRegistered} runs on the loop after each successful registration. */
    ManagerSession(LinkLoop loop, ManagerCalls calls, Backoff backoff, NodeIdentity identity,
                   Collection<AdvertisedPort> ports, String address, Clock clock, Runnable onRegistered) {
        this.loop = loop;
        this.calls = calls;
        this.backoff = backoff;
        this.identity = identity;
        this.ports = ports;
        this.address = address;
        this.clock = clock;
        this.onRegistered = onRegistered;
    }

    boolean registered() {
        return registered;
    }

    /** Registers now, unless a registration is in flight. */
    void connect() {
        connectScheduled = false;
        if (connecting) {
            return;
        }
        connecting = true;
        calls.resetConnectBackoff();
        NodeInfo node = identity.snapshot();
        RegisterNodeRequest request = registration(node, ports);
        calls.registerNode(request).whenCompleteAsync((answer, failure) -> {
            connecting = false;
            if (failure == null && answer.getSuccess()) {
                LOG.info("Manager link: {} with {} as node {} ({}, {})",
                    registrations++ > 0 ? "registered again" : "registered", address, node.nodeId(), node.address(),
                    request.getLabelsMap());
                registered = true;
                registeredAs = node;
                backoff.reset();
                if (registerAgain) {
                    registerAgain = false;
                    connect();
                }
                onRegistered.run();
            } else {
                registered = false;
                LOG.warn("Manager link: cannot register with {}: {}; trying again in {} ms", address,
                    failure == null ? "the Manager answered: " + answer.getMessage() : describe(failure),
                    backoff.current().toMillis());
                scheduleConnect();
            }
        }, loop);
    }

    /** The set of advertised ports changed: the Manager must learn it. */
    void portsChanged() {
        if (connecting) {
            registerAgain = true; // the registration in flight does not carry this port
        } else if (registered) {
            connect();
        }
    }

    void heartbeat() {
        if (!registered) {
            return;
        }
        if (!identity.snapshot().equals(registeredAs)) {
            LOG.info("Manager link: the node's identity changed; registering again");
            connect();
            return;
        }
        HeartbeatRequest request = HeartbeatRequest.newBuilder().setNodeId(identity.nodeId())
            .setTimestamp(clock.instant().getEpochSecond()).build();
        calls.heartbeat(request).whenCompleteAsync((answer, failure) -> {
            if (failure != null) {
                if (registered) {
                    lost(failure);
                }
            } else if (!answer.getSuccess()) {
                LOG.warn("Manager link: the Manager refused a heartbeat ({}); registering again", answer.getMessage());
                registered = false;
                connect();
            }
        }, loop);
    }

    /** A call failed: the Manager is unreachable until a registration succeeds again. */
    void lost(Throwable failure) {
        if (registered) {
            LOG.warn("Manager link: lost {} ({}); reports and state changes are kept on disk until it is back",
                address, describe(failure));
        }
        registered = false;
        // several calls fail together when the Manager goes away: one chain of attempts is enough
        if (!connecting && !connectScheduled) {
            scheduleConnect();
        }
    }

    private void scheduleConnect() {
        connectScheduled = true;
        loop.schedule(backoff.next(), () -> {
            if (registered) {
                connectScheduled = false; // registered meanwhile (a new port, a new identity)
            } else {
                connect();
            }
        });
    }

    /** The node's identity, with each advertised port as the label {@code opsd.<name>_port}. */
    static RegisterNodeRequest registration(NodeInfo node, Collection<AdvertisedPort> ports) {
        RegisterNodeRequest.Builder request = RegisterNodeRequest.newBuilder()
            .setNodeId(node.nodeId()).setHostname(node.hostname()).setIp(node.address()).setOs(node.os())
            .setArch(node.arch()).putAllLabels(node.labels()).setDaemonVersion(node.opsdVersion())
            .setAgentVersion(node.opsdVersion());
        ports.forEach(p -> request.putLabels(PORT_LABEL_PREFIX + p.name() + "_port", Integer.toString(p.port())));
        return request.build();
    }

    static String describe(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof StatusRuntimeException s) {
            return s.getStatus().getCode() + (s.getStatus().getDescription() == null ? ""
                : ": " + s.getStatus().getDescription());
        }
        return cause.toString();
    }
}
