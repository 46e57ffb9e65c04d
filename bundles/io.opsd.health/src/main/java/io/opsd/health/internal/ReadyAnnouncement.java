package io.opsd.health.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.concurrent.DaemonThreads;
import io.opsd.api.node.AdvertisedPort;
import io.opsd.health.Readiness;
import io.opsd.health.ReadinessReport;

/**
 * The one line that tells an operator the node is ready and where it listens:
 * {@code opsd 0.1.0 ready in 1.6 s: http 127.0.0.1:8084, grpc 127.0.0.1:9091, home /opt/opsd, config ...}. It is
 * logged once, the first time the same reading as {@code /ready} says ready; a node still not ready after
 * {@link #PATIENCE} gets one warning that names what it waits for.
 */
@Component(immediate = true)
public final class ReadyAnnouncement {

    static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Duration EARLY_POLL = Duration.ofMillis(50);
    private static final Duration LATE_POLL = Duration.ofSeconds(1);
    private static final String HTTP_ENDPOINT = "osgi.http.endpoint";
    private static final String HTTP_RUNTIMES = "(" + HTTP_ENDPOINT + "=*)";
    private static final Logger LOG = LoggerFactory.getLogger(ReadyAnnouncement.class);

    private final BundleContext context;
    private final Readiness readiness;
    private final ScheduledExecutorService timer;
    private final long activated = System.nanoTime();
    private final Map<String, String> endpoints = new ConcurrentHashMap<>();
    private boolean warned;

    @Activate
    public ReadyAnnouncement(BundleContext context, @Reference Readiness readiness) {
        this.context = context;
        this.readiness = readiness;
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("opsd-ready-announcement"));
        timer.schedule(this::poll, 0, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addPort(AdvertisedPort port, Map<String, Object> props) {
        Object endpoint = props.get(AdvertisedPort.ENDPOINT);
        endpoints.put(port.name(), endpoint == null ? ":" + port.port() : endpoint.toString());
    }

    void removePort(AdvertisedPort port) {
        endpoints.remove(port.name());
    }

    private void poll() {
        try {
            ReadinessReport report = readiness.check();
            // /ready itself is served over HTTP: the node is not ready for anyone until the HTTP server runs
            String http = httpEndpoint();
            if (report.ready() && !http.isEmpty()) {
                LOG.info(line(Duration.ofNanos(System.nanoTime() - activated), http));
                timer.shutdown(); // said once: the thread goes
                return;
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - activated);
            if (!warned && waited.compareTo(PATIENCE) >= 0) {
                warned = true;
                List<String> waitingFor = new ArrayList<>(report.notReady().stream().map(p -> p.bundle()
                    + (p.name().isEmpty() ? "" : " " + p.name()) + " " + p.state()
                    + (p.detail().isEmpty() ? "" : " (" + p.detail() + ")")).toList());
                if (http.isEmpty()) {
                    waitingFor.add("the HTTP server has not started");
                }
                LOG.warn("opsd is not ready after {} s: {} (GET /ready lists the components)", waited.toSeconds(),
                    String.join("; ", waitingFor));
            }
            timer.schedule(this::poll, (warned ? LATE_POLL : EARLY_POLL).toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // SCR or the framework going away under a stopping node: nothing to announce any more
            LOG.debug("readiness not read", e);
        }
    }

    /**
     * On the embedded node the time is counted from the JVM's start, as an operator counts it; in a container that
     * was running before opsd was installed (Karaf), from this component's start.
     */
    String line(Duration sinceActivation, String http) {
        Instant now = Instant.now();
        Duration since = context.getProperty("opsd.home") == null ? sinceActivation
            : ProcessHandle.current().info().startInstant().map(s -> Duration.between(s, now))
                .filter(d -> !d.isNegative()).orElse(sinceActivation);
        List<String> where = new ArrayList<>();
        where.add("http " + http);
        new TreeMap<>(endpoints).forEach((name, endpoint) -> where.add(name + " " + endpoint));
        addProperty(where, "home", "opsd.home");
        addProperty(where, "config", "opsd.config.dir");
        String version = context.getProperty("opsd.version");
        return "opsd" + (version == null ? "" : " " + version) + " ready in "
            + String.format(Locale.ROOT, "%.1f", since.toMillis() / 1000.0) + " s"
            + (where.isEmpty() ? "" : ": " + String.join(", ", where));
    }

    private void addProperty(List<String> where, String label, String property) {
        String value = context.getProperty(property);
        if (value != null && !value.isBlank()) {
            where.add(label + " " + value);
        }
    }

    /**
     * The endpoint the HTTP server announces, read from the service property the whiteboard specifications name:
     * Felix HTTP and Pax Web put it on different services (jakarta or javax runtime, HTTP service), and this bundle
     * needs none of their classes.
     */
    private String httpEndpoint() {
        try {
            ServiceReference<?>[] runtimes = context.getAllServiceReferences(null, HTTP_RUNTIMES);
            return runtimes == null ? "" : hostAndPort(runtimes[0].getProperty(HTTP_ENDPOINT));
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code http://127.0.0.1:8084/} (a String or a String[]) as {@code 127.0.0.1:8084}. */
    static String hostAndPort(Object endpoint) {
        Object first = endpoint instanceof String[] all ? (all.length == 0 ? null : all[0])
            : endpoint instanceof java.util.Collection<?> list ? list.stream().findFirst().orElse(null) : endpoint;
        if (first == null) {
            return "";
        }
        String text = first.toString().replaceFirst("^[a-z]+://", "");
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }
}
