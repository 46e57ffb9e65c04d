package io.opsd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.opsd.api.node.NodeIdentity;
import io.opsd.testing.Await;

@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class NodeConfigurationIT {

    private static final Duration LIMIT = Duration.ofSeconds(20);

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    NodeIdentity node;

    @Test
    void editingLabelsInTheFileReachesTheRunningComponentAndABadValueKeepsTheOldOne() throws Exception {
        NodeHome home = new NodeHome(context);
        Path cfg = home.configDir().resolve("io.opsd.node.cfg");
        String original = Files.readString(cfg, StandardCharsets.UTF_8);
        ServiceReference<NodeIdentity> ref = context.getServiceReference(NodeIdentity.class);
        Object serviceId = ref.getProperty("service.id");
        List<Integer> events = new CopyOnWriteArrayList<>();
        ServiceListener listener = e -> events.add(e.getType());
        context.addServiceListener(listener, "(objectClass=" + NodeIdentity.class.getName() + ")");
        try {
            NodeHome.writeAtomically(cfg, original + "\nlabels = site=itest,rack=r7\n");
            Await.until(LIMIT, () -> Map.of("site", "itest", "rack", "r7").equals(node.labels()),
                () -> "labels " + node.labels());

            NodeHome.writeAtomically(cfg, original + "\nlabels = rack-without-value\n");
            String expected = "io.opsd.node (" + cfg + "): labels = \"rack-without-value\" has \"rack-without-value\""
                + " without '='; write key=value pairs separated by commas, such as site=lab,rack=r1; the node keeps"
                + " its previous settings";
            Await.until(LIMIT, () -> logContains(home.log(), expected), () -> "no line in " + home.log()
                + " saying: " + expected);
            assertEquals(Map.of("site", "itest", "rack", "r7"), node.labels(), "the last good labels stay");
        } finally {
            NodeHome.writeAtomically(cfg, original);
            Await.until(LIMIT, () -> node.labels().isEmpty(), () -> "labels not restored: " + node.labels());
            context.removeServiceListener(listener);
        }
        assertTrue(events.stream().allMatch(t -> t == ServiceEvent.MODIFIED), "only MODIFIED events: " + events);
        assertEquals(serviceId, context.getServiceReference(NodeIdentity.class).getProperty("service.id"),
            "the component was modified in place, never deactivated");
    }

    private static boolean logContains(Path log, String text) {
        try {
            return Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
