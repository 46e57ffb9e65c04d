package io.opsd.agent.internal;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.opsd.api.agent.AgentType;

/** The probes an agent's health settings ask for. */
final class HealthProbes {

    /** a probe never waits longer than this, nor longer than the health interval */
    private static final Duration LONGEST_TIMEOUT = Duration.ofSeconds(5);

    private HealthProbes() {
    }

    /**
     * An HTTP probe of {@code health.http_url}, else of the type's default URL (unless the HTTP probe is disabled),
     * and a TCP probe of {@code health.tcp_address}; each set up when it is given.
     *
     * @param type the agent's type, or null when it is not installed
     */
    static List<Supplier<ProbeResult>> of(AgentSettings.Health h, AgentType type, AgentSettings.Launch launch) {
        Duration timeout = h.interval().compareTo(LONGEST_TIMEOUT) < 0 ? h.interval() : LONGEST_TIMEOUT;
        List<Supplier<ProbeResult>> probes = new ArrayList<>();
        Optional<URI> url = h.httpUrl();
        if (url.isEmpty() && h.typeProbe() && type != null) {
            url = type.defaultHttpProbe(launch.definition()).map(URI::create);
        }
        url.ifPresent(u -> {
            HttpProbe probe = new HttpProbe(u, timeout);
            probes.add(probe::probe);
        });
        h.tcpAddress().ifPresent(a -> {
            TcpProbe probe = new TcpProbe(a, timeout);
            probes.add(probe::probe);
        });
        return probes;
    }
}
