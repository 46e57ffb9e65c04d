package io.opsd.metrics.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.collector.MetricsView;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;

/** {@code GET /metrics}: the Prometheus text exposition format (0.0.4) of every collector and of the engine. */
@Component(service = Servlet.class, configurationPid = "io.opsd.metrics")
@HttpWhiteboardServletName("io.opsd.metrics.prometheus")
@HttpWhiteboardServletPattern("/metrics")
public final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServlet.class);

    private final transient MetricsView metrics;
    private final transient PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private volatile boolean enabled;

    @Activate
    public MetricsServlet(@Reference(name = "metrics") MetricsView metrics, MetricsConfig config) {
        this.metrics = metrics;
        this.enabled = config.prometheus__enabled();
    }

    @Modified
    void modified(MetricsConfig config) {
        enabled = config.prometheus__enabled();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!enabled) {
            response.setStatus(404);
            response.setContentType("application/json");
            response.getWriter().write("{\"success\":false,\"message\":\"the Prometheus endpoint is disabled"
                + " (io.opsd.metrics prometheus_enabled = false)\"}\n");
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(body, PrometheusExposition.snapshots(metrics.collectors(), Instant.now()));
        } catch (RuntimeException e) {
            LOG.error("cannot write /metrics: {}", e.toString());
            response.sendError(500);
            return;
        }
        response.setStatus(200);
        response.setContentType(writer.getContentType());
        response.setContentLength(body.size());
        body.writeTo(response.getOutputStream());
    }
}
