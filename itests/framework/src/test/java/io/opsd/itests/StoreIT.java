package io.opsd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.opsd.api.collector.CollectorStatus;
import io.opsd.api.collector.MetricsView;
import io.opsd.api.store.AgentPatch;
import io.opsd.api.store.MetadataStore;
import io.opsd.testing.Await;

@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class StoreIT {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    MetadataStore store;

    @InjectService(timeout = 10_000)
    MetricsView metrics;

    @Test
    void aChangeReachesItsFileAndAnUnwritableDirectoryDegradesTheNodeUntilItIsFixed() throws Exception {
        NodeHome home = new NodeHome(context);
        Path agents = Path.of(context.getProperty("opsd.data.dir"), "agents");
        store.update("itest-store", AgentPatch.builder().type("custom").status("running").build());
        Await.until(LIMIT, () -> Files.exists(agents.resolve("itest-store.json")), () -> "no file in " + agents);

        Path moved = agents.resolveSibling("agents.moved");
        Files.move(agents, moved);
        Files.writeString(agents, "a file where the store's directory should be");
        try {
            store.update("itest-store", AgentPatch.builder().status("stopped").build());
            Await.until(LIMIT, () -> body(home, "/ready").contains("\"degraded\":[{\"name\":\"store\",\"problem\":"
                + "\"cannot write agent state to " + agents), () -> "/ready says " + body(home, "/ready"));
            assertEquals(200, home.get("/ready").status(), "degraded, still ready: the store serves from memory");
            assertEquals("stopped", store.get("itest-store").orElseThrow().status());
            Await.until(LIMIT, () -> metrics.collector("store").flatMap(CollectorStatus::latest)
                .map(s -> s.values().get("write_errors") > 0).orElse(false), () -> "no write errors in the metrics");
        } finally {
            Files.delete(agents);
            Files.move(moved, agents);
        }
        assertTrue(store.flush(Duration.ofSeconds(10)), "writes work again");
        Await.until(LIMIT, () -> body(home, "/ready").contains("\"degraded\":[]"), () -> body(home, "/ready"));
        assertTrue(Files.readString(agents.resolve("itest-store.json")).contains("\"status\":\"stopped\""));
        store.remove("itest-store");
    }

    private static String body(NodeHome home, String path) {
        try {
            return home.get(path).body();
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
