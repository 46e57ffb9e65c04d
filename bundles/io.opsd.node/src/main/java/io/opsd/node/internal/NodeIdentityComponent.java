package io.opsd.node.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.config.InvalidConfigurationException;
import io.opsd.api.node.NodeIdentity;
import io.opsd.api.node.NodeInfo;
import io.opsd.api.runtime.RuntimePaths;

/** Provides {@link NodeIdentity} from the {@code io.opsd.node} configuration and the host. */
@Component(configurationPid = "io.opsd.node", immediate = true)
@Designate(ocd = NodeConfig.class)
public final class NodeIdentityComponent implements NodeIdentity {

    private static final Logger LOG = LoggerFactory.getLogger(NodeIdentityComponent.class);

    private final NodeIdFile idFile;
    private final HostFacts host;
    private final String version;
    private volatile NodeInfo current;

    @Activate
    public NodeIdentityComponent(BundleContext context, NodeConfig config, Map<String, Object> props) {
        this(RuntimePaths.dataDir(context), Path.of("/proc"), RuntimePaths.version(context),
            NodeSettings.of(config, props));
    }

    NodeIdentityComponent(Path dataDir, Path procRoot, String version, NodeSettings settings) {
        this.idFile = new NodeIdFile(dataDir);
        this.host = new HostFacts(procRoot);
        this.version = version;
        this.current = describe(settings);
        LOG.info("node {} ({}, {}/{}) advertises {}; labels {}", current.nodeId(), current.hostname(), current.os(),
            current.arch(), current.address(), current.labels());
    }

    @Modified
    void modified(NodeConfig config, Map<String, Object> props) {
        try {
            NodeInfo next = describe(NodeSettings.of(config, props));
            if (!next.equals(current)) {
                current = next;
                LOG.info("node {} now advertises {}; labels {}", next.nodeId(), next.address(), next.labels());
            }
        } catch (InvalidConfigurationException | UncheckedIOException e) {
            LOG.error("{}; the node keeps its previous settings", e.getMessage());
        }
    }

    @Override
    public NodeInfo snapshot() {
        return current;
    }

    private NodeInfo describe(NodeSettings settings) {
        String nodeId;
        try {
            nodeId = idFile.resolve(settings.id());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the node id in " + idFile.path() + ": "
                + e.getMessage(), e);
        }
        String address = settings.advertiseAddress().orElseGet(host::primaryAddress);
        return new NodeInfo(nodeId, host.hostname(), address, HostFacts.os(), HostFacts.arch(), settings.labels(),
            version);
    }
}
