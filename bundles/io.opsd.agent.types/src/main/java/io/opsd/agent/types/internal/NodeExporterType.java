package io.opsd.agent.types.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;

import io.opsd.api.agent.AgentDefinition;
import io.opsd.api.agent.AgentType;

/**
 * {@code node_exporter}: {@code node_exporter --web.listen-address=<node_exporter.listen_address> [args]}, with
 * {@code :9100} by default as the old daemon had it, and its metrics page as the default HTTP health probe.
 */
@Component(property = AgentType.TYPE + "=node_exporter")
public final class NodeExporterType implements AgentType {

    static final String LISTEN_ADDRESS = "node_exporter.listen_address";
    private static final String DEFAULT_ADDRESS = ":9100";

    @Override
    public List<String> command(AgentDefinition agent) {
        List<String> command = new ArrayList<>();
        command.add(agent.binary().toString());
        command.add("--web.listen-address=" + listenAddress(agent));
        command.addAll(agent.args());
        return command;
    }

    @Override
    public Optional<String> defaultHttpProbe(AgentDefinition agent) {
        String address = listenAddress(agent);
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon);
        if (host.isEmpty() || host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        } else if (host.equals("[::]")) {
            host = "[::1]";
        }
        return Optional.of("http://" + host + address.substring(colon) + "/metrics");
    }

    private static String listenAddress(AgentDefinition agent) {
        Object value = agent.properties().get(LISTEN_ADDRESS);
        String address = value == null ? DEFAULT_ADDRESS : String.valueOf(value).trim();
        if (!address.matches("(\\[[0-9A-Fa-f:.]*]|[A-Za-z0-9.-]*):\\d{1,5}")) {
            throw new IllegalArgumentException(LISTEN_ADDRESS + " = \"" + address + "\" is not [host]:port, such as"
                + " :9100 or 127.0.0.1:9100");
        }
        return address;
    }
}
