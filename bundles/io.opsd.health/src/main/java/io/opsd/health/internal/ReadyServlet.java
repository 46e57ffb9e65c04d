package io.opsd.health.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.opsd.api.health.Degradation;
import io.opsd.health.Readiness;
import io.opsd.health.ReadinessProblem;
import io.opsd.health.ReadinessReport;

/**
 * {@code GET /ready}: 200 when every opsd component is active, else 503 with what is not and why. What is
 * degraded but still serving (a store that cannot write) is listed under {@code degraded} without making the
 * node unready.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("io.opsd.health.ready")
@HttpWhiteboardServletPattern("/ready")
public final class ReadyServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Readiness readiness;
    private final transient List<Map.Entry<Degradation, String>> degradations = new CopyOnWriteArrayList<>();

    @Activate
    public ReadyServlet(@Reference Readiness readiness) {
        this.readiness = readiness;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ReadinessReport report = readiness.check();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ready", report.ready());
        body.put("bundles", report.bundles());
        body.put("components", report.components());
        body.put("not_ready", report.notReady().stream().map(ReadyServlet::describe).toList());
        body.put("degraded", degraded());
        body.put("rejected", report.rejected().stream().map(ReadyServlet::describe).toList());
        Responses.json(response, report.ready() ? 200 : 503, body);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDegradation(Degradation degradation, Map<String, Object> props) {
        degradations.add(Map.entry(degradation, String.valueOf(props.getOrDefault(Degradation.NAME, "unnamed"))));
    }

    void removeDegradation(Degradation degradation) {
        degradations.removeIf(e -> e.getKey() == degradation);
    }

    private List<Map<String, Object>> degraded() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<Degradation, String> e : degradations) {
            e.getKey().problem().ifPresent(problem -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", e.getValue());
                m.put("problem", problem);
                out.add(m);
            });
        }
        return out;
    }

    private static Map<String, Object> describe(ReadinessProblem p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bundle", p.bundle());
        if (!p.name().isEmpty()) {
            m.put("component", p.name());
        }
        m.put("state", p.state());
        m.put("detail", p.detail());
        return m;
    }

    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(readiness.check().ready() ? 200 : 503);
    }

}
