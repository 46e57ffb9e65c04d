package io.opsd.health.internal;

import java.io.IOException;
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
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/** {@code GET /ready}: 200 when every opsd component is active, else 503 with what is not and why. */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("io.opsd.health.ready")
@HttpWhiteboardServletPattern("/ready")
public final class ReadyServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient ReadinessCheck readiness;

    @Activate
    public ReadyServlet(BundleContext context, @Reference ServiceComponentRuntime scr) {
        this.readiness = new ReadinessCheck(context, scr);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ReadinessCheck.Report report = readiness.check();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ready", report.ready());
        body.put("components", report.components());
        body.put("not_ready", report.problems().stream().map(ReadyServlet::describe).toList());
        Responses.json(response, report.ready() ? 200 : 503, body);
    }

    private static Map<String, Object> describe(ReadinessCheck.Problem p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bundle", p.bundle());
        if (!p.component().isEmpty()) {
            m.put("component", p.component());
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
