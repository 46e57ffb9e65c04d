package io.opsd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.opsd.api.node.NodeIdentity;
import io.opsd.testing.Await;
import io.opsd.testing.Http;

@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class ReadinessIT {

    private static final Duration LIMIT = Duration.ofSeconds(20);

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ServiceComponentRuntime scr;

    @InjectService(timeout = 10_000)
    NodeIdentity node;

    @Test
    void readyAndHealthAnswerOverHttpAndADisabledComponentMakesTheNodeUnready() throws Exception {
        NodeHome home = new NodeHome(context);
        Await.until(LIMIT, () -> status(home, "/ready") == 200, () -> "/ready answers " + body(home, "/ready"));
        Http.Response ready = home.get("/ready");
        assertTrue(ready.contentType().startsWith("application/json"), ready.contentType());
        assertTrue(ready.body().startsWith("{\"ready\":true,\"bundles\":" + context.getBundles().length
            + ",\"components\":"), ready.body());

        Http.Response health = home.get("/health");
        assertEquals(200, health.status());
        assertTrue(health.body().contains("\"node_id\":\"" + node.nodeId() + "\""), health.body());

        ComponentDescriptionDTO nodeComponent = scr.getComponentDescriptionDTOs().stream()
            .filter(d -> d.name.equals("io.opsd.node.internal.NodeIdentityComponent")).findFirst().orElseThrow();
        scr.disableComponent(nodeComponent).getValue();
        try {
            Await.until(LIMIT, () -> status(home, "/ready") == 503, () -> "/ready answers " + body(home, "/ready"));
            String unready = home.get("/ready").body();
            assertTrue(unready.contains("\"component\":\"io.opsd.node.internal.NodeIdentityComponent\",\"state\":"
                + "\"disabled\""), unready);
            assertEquals(200, home.get("/health").status(), "liveness does not depend on readiness");
        } finally {
            scr.enableComponent(nodeComponent).getValue();
        }
        Await.until(LIMIT, () -> status(home, "/ready") == 200, () -> "/ready answers " + body(home, "/ready"));
    }

    private static int status(NodeHome home, String path) {
        try {
            return home.get(path).status();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String body(NodeHome home, String path) {
        try {
            return home.get(path).body();
        } catch (IOException e) {
            return e.toString();
        }
    }
}
