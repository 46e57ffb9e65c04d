package io.opsd.health.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.opsd.api.node.NodeIdentity;
import io.opsd.api.node.NodeInfo;
import io.opsd.api.runtime.RuntimePaths;

/**
 * {@code GET /health}: liveness. 200 whenever the process can answer, with the node's identity when it is
 * known; it never depends on the other components being ready.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("io.opsd.health.live")
@HttpWhiteboardServletPattern("/health")
public final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final String version;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile NodeIdentity node;

    @Activate
    public HealthServlet(BundleContext context) {
        this.version = RuntimePaths.version(context);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "UP");
        body.put("version", version);
        body.put("uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        NodeIdentity identity = node;
        if (identity != null) {
            NodeInfo info = identity.snapshot();
            body.put("node_id", info.nodeId());
            body.put("hostname", info.hostname());
            body.put("address", info.address());
            body.put("os", info.os());
            body.put("arch", info.arch());
            body.put("labels", info.labels());
        }
        Responses.json(response, 200, body);
    }
}
