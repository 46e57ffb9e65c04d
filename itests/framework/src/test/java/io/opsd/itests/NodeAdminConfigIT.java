package io.opsd.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.opsd.api.admin.AdminException;
import io.opsd.api.admin.Caller;
import io.opsd.api.admin.ConfigurationAdministration;
import io.opsd.api.admin.ConfigurationChange;
import io.opsd.api.admin.ConfigurationUpdate;
import io.opsd.api.admin.ConfigurationView;
import io.opsd.api.agent.AgentManager;
import io.opsd.api.agent.AgentState;
import io.opsd.api.collector.Collector;
import io.opsd.api.collector.MetricSet;
import io.opsd.testing.Await;

/** Node administration of configuration in real Felix, with FileInstall reading runtime-config/. */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class NodeAdminConfigIT {

    private static final Duration LIMIT = Duration.ofSeconds(15);
    private static final Caller CALLER = new Caller("token", "127.0.0.1:1");
    private static final String CPU = "io.opsd.collector.cpu";
    private static final String CPU_COMPONENT = "io.opsd.collector.cpu.internal.CpuCollector";
    private static final String SOCKET = "io.opsd.heartbeat.socket";
    private static final String SERVICE_COMPONENT = "io.opsd.admin.internal.ConfigurationAdministrationService";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdministration injected;

    @InjectService(timeout = 10_000)
    ServiceComponentRuntime scr;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin cm;

    @InjectService(timeout = 10_000)
    AgentManager agents;

    @BeforeEach
    @AfterEach
    void dropAdminLayers() {
        List<String> failures = new ArrayList<>();
        for (String pid : List.of(CPU, SOCKET, "io.opsd.heartbeat", "io.opsd.agent-admin1", "io.opsd.agent-admin2")) {
            try {
                admin().delete(CALLER, pid);
            } catch (AdminException | RuntimeException e) {
                failures.add(pid + ": " + e.getMessage());
            }
        }
        assertEquals(List.of(), failures, "admin layers dropped");
    }

    @Test
    void anUpdateOverridesTheFileKeyByKeyAndTheFileStaysAsItWas() throws Exception {
        Path cfg = new NodeHome(context).configDir().resolve(CPU + ".cfg");
        byte[] before = Files.readAllBytes(cfg);
        String fileInterval = cpuProperty("interval");
        String fileTimeout = cpuProperty("timeout");

        ConfigurationChange change = admin().update(CALLER, set(CPU, Map.of("interval", "5s")));
        assertTrue(change.applied(), change.toString());
        assertEquals(List.of(), change.problems());
        assertEquals("file+admin", change.configuration().source());
        assertEquals("5s", change.configuration().properties().get("interval"));
        assertEquals("5s", cpuProperty("interval"), "the component has the value when the update answers");
        ConfigurationView listed = only(CPU);
        assertEquals("file+admin", listed.source());
        assertEquals("5s", listed.properties().get("interval"));
        assertTrue(listed.attributes().stream().anyMatch(a -> a.id().equals("interval") && a.type().equals("STRING")
            && a.defaultValue().equals("60s")), listed.attributes().toString());
        assertArrayEquals(before, Files.readAllBytes(cfg), "runtime-config/ is never written");

        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String value = (6 + i % 2) + "s";
            long start = System.nanoTime();
            assertTrue(admin().update(CALLER, set(CPU, Map.of("interval", value))).applied());
            millis.add((System.nanoTime() - start) / 1_000_000);
            assertEquals(value, cpuProperty("interval"));
        }
        Collections.sort(millis);
        System.out.println("NodeAdminConfigIT update->applied ms (sorted): " + millis);
        assertTrue(millis.get(millis.size() / 2) <= 200, "median " + millis);
        assertTrue(millis.get(millis.size() - 1) <= 500, "max " + millis);
        String kept = cpuProperty("interval");

        // the operator edits the file: the admin override stays, the file's new key arrives
        String original = new String(before, StandardCharsets.UTF_8);
        try {
            NodeHome.writeAtomically(cfg, original.replaceAll("(?m)^(interval|timeout)\\s*=.*$", "")
                + "\ntimeout = 4s\ninterval = 30s\n");
            Await.until(LIMIT, () -> "4s".equals(cpuProperty("timeout")), () -> "timeout " + cpuProperty("timeout"));
            assertEquals(kept, cpuProperty("interval"), "the admin layer overrides the file's interval");
            assertEquals(kept, only(CPU).properties().get("interval"));
            assertEquals("4s", only(CPU).properties().get("timeout"));
        } finally {
            NodeHome.writeAtomically(cfg, original);
            Await.until(LIMIT, () -> Objects.equals(fileTimeout, cpuProperty("timeout")),
                () -> "timeout " + cpuProperty("timeout"));
        }

        // a dry run changes nothing
        ConfigurationChange dry = admin().update(CALLER, new ConfigurationUpdate(CPU, Map.of("interval", "9s"),
            List.of(), true));
        assertFalse(dry.applied());
        assertEquals(List.of(), dry.problems());
        assertEquals("9s", dry.configuration().properties().get("interval"));
        assertEquals(kept, cpuProperty("interval"));
        assertEquals(kept, only(CPU).properties().get("interval"));

        // delete: the file's values apply again
        assertTrue(admin().delete(CALLER, CPU));
        assertEquals("file", only(CPU).source());
        assertEquals(fileInterval, only(CPU).properties().get("interval"));
        Await.until(LIMIT, () -> Objects.equals(fileInterval, cpuProperty("interval")),
            () -> "interval " + cpuProperty("interval"));
        assertFalse(admin().delete(CALLER, CPU), "nothing left to delete");
        assertArrayEquals(before, Files.readAllBytes(cfg));
    }

    @Test
    void invalidUpdatesListEveryProblemAndChangeNothing() throws Exception {
        long invalid = audited("update", "invalid_argument");
        ConfigurationChange bad = admin().update(CALLER, set(CPU, Map.of("intervall", "5s", "enabled", "maybe")));
        assertFalse(bad.applied());
        assertEquals(2, bad.problems().size(), bad.problems().toString());
        assertTrue(bad.problems().stream().anyMatch(p -> p.contains("intervall")), bad.problems().toString());
        assertTrue(bad.problems().stream().anyMatch(p -> p.contains("enabled") && p.contains("true or false")),
            bad.problems().toString());

        ConfigurationChange soon = admin().update(CALLER, set(CPU, Map.of("interval", "soon")));
        assertFalse(soon.applied());
        assertTrue(soon.problems().size() == 1 && soon.problems().get(0).contains("interval")
            && soon.problems().get(0).contains("duration"), soon.problems().toString());

        ConfigurationChange disk = admin().update(CALLER, set("io.opsd.collector.disk", Map.of("mount_points", "data")));
        assertTrue(disk.problems().size() == 1 && disk.problems().get(0).contains("mount_points"),
            disk.problems().toString());

        ConfigurationChange reserved = admin().update(CALLER, set(CPU, Map.of("service.pid", "x")));
        assertTrue(reserved.problems().get(0).contains("service.pid"), reserved.problems().toString());

        ConfigurationChange unknown = admin().update(CALLER, set("io.opsd.nothing", Map.of("a", "b")));
        assertFalse(unknown.applied());
        assertTrue(unknown.problems().get(0).contains("no metatype and no validator"), unknown.problems().toString());
        assertTrue(admin().configurations("io.opsd.nothing").isEmpty());

        ConfigurationChange dryBad = admin().update(CALLER, new ConfigurationUpdate(CPU, Map.of("enabled", "maybe"),
            List.of(), true));
        assertEquals(1, dryBad.problems().size());
        assertEquals(invalid + 5, audited("update", "invalid_argument"), "dry runs are not audited");

        AdminException self = assertThrows(AdminException.class,
            () -> admin().update(CALLER, set("io.opsd.admin", Map.of("allow_unsigned", "true"))));
        assertEquals(AdminException.Code.FAILED_PRECONDITION, self.code());
        assertEquals("io.opsd.admin changes only in runtime-config/ on the node", self.getMessage());

        AdminException malformed = assertThrows(AdminException.class,
            () -> admin().update(CALLER, set("../etc/passwd", Map.of("a", "b"))));
        assertEquals(AdminException.Code.INVALID_ARGUMENT, malformed.code());
        assertEquals(AdminException.Code.INVALID_ARGUMENT, assertThrows(AdminException.class,
            () -> admin().update(CALLER, set("io.opsd.agent-bad id", Map.of("a", "b")))).code());

        assertEquals("file", only(CPU).source());
        assertFalse(admin().configurations("").stream().anyMatch(v -> v.source().contains("admin")));
    }

    @Test
    void aValueTheComponentRefusesAtActivationIsPutBack() throws Exception {
        long refused = audited("update", "failed_precondition");
        AdminException e = assertThrows(AdminException.class,
            () -> admin().update(CALLER, set(SOCKET, Map.of("max_connections", "0"))));
        assertEquals(AdminException.Code.FAILED_PRECONDITION, e.code());
        assertTrue(e.getMessage().startsWith(SOCKET + ": the component refused the new values: ")
            && e.getMessage().contains("max_connections"), e.getMessage());
        assertEquals("file", only(SOCKET).source());
        Await.until(LIMIT, () -> component("io.opsd.heartbeat.socket.internal.SocketHeartbeatReceiver")
            .map(c -> (c.state == ComponentConfigurationDTO.ACTIVE || c.state == ComponentConfigurationDTO.SATISFIED)
                && !"0".equals(String.valueOf(c.properties.get("max_connections")))).orElse(false), () -> "socket receiver not back");
        assertEquals(refused + 1, audited("update", "failed_precondition"));
    }

    @Test
    void anAgentIsCreatedByAnUpdateAndRemovedByADelete() throws Exception {
        ConfigurationChange missing = admin().update(CALLER, set("io.opsd.agent-admin2",
            Map.of("type", "custom", "binary_path", "/no/such/binary")));
        assertFalse(missing.applied());
        assertTrue(missing.problems().get(0).contains("binary_path"), missing.problems().toString());
        assertTrue(agents.agent("admin2").isEmpty());

        ConfigurationChange created = admin().update(CALLER, set("io.opsd.agent-admin1", Map.of("type", "custom",
            "binary_path", "/bin/sleep", "args", "300", "health.heartbeat_timeout", "disabled", "stop.timeout", "2s")));
        assertTrue(created.applied(), created.toString());
        assertEquals("admin", created.configuration().source());
        Await.until(LIMIT, () -> agents.agent("admin1").map(s -> s.state() == AgentState.RUNNING && s.pid() > 0)
            .orElse(false), () -> "admin1: " + agents.agent("admin1"));
        long pid = agents.agent("admin1").orElseThrow().pid();
        assertEquals("admin", only("io.opsd.agent-admin1").source());

        assertTrue(admin().delete(CALLER, "io.opsd.agent-admin1"));
        Await.until(LIMIT, () -> agents.agent("admin1").isEmpty() && !Files.exists(Path.of("/proc/" + pid)),
            () -> "admin1 still there: " + agents.agent("admin1"));
        assertTrue(admin().configurations("io.opsd.agent-admin1").isEmpty());
    }

    @Test
    void secretsAreMasked() throws Exception {
        ConfigurationChange change = admin().update(CALLER, set("io.opsd.heartbeat", Map.of("token", "s3cr3t-value")));
        assertTrue(change.applied(), change.toString());
        assertEquals(ConfigurationView.SECRET, change.configuration().properties().get("token"));
        assertEquals(ConfigurationView.SECRET, only("io.opsd.heartbeat").properties().get("token"));
        assertFalse(admin().configurations("").toString().contains("s3cr3t-value"));
        assertTrue(admin().delete(CALLER, "io.opsd.heartbeat"));
        Await.until(LIMIT, () -> component("io.opsd.heartbeat.internal.HeartbeatReceiver")
            .map(c -> "".equals(c.properties.get("token"))).orElse(false), () -> "token still set");
    }

    @Test
    void theAdminLayerSurvivesReactivationAndIsRecreatedInConfigAdmin() throws Exception {
        assertTrue(admin().update(CALLER, set(CPU, Map.of("interval", "7s"))).applied());
        assertTrue(admin().update(CALLER, set("io.opsd.agent-admin1", Map.of("type", "custom",
            "binary_path", "/bin/sleep", "args", "300", "health.heartbeat_timeout", "disabled",
            "stop.timeout", "2s"))).applied());
        Await.until(LIMIT, () -> agents.agent("admin1").map(s -> s.state() == AgentState.RUNNING).orElse(false),
            () -> "admin1: " + agents.agent("admin1"));

        ComponentDescriptionDTO service = scr.getComponentDescriptionDTOs().stream()
            .filter(d -> d.name.equals(SERVICE_COMPONENT)).findFirst().orElseThrow();
        scr.disableComponent(service).getValue();
        try {
            Configuration[] agent = cm.listConfigurations("(service.pid=io.opsd.agent~admin1)");
            agent[0].delete();
            Await.until(LIMIT, () -> agents.agent("admin1").isEmpty(), () -> "admin1 still there");
        } finally {
            scr.enableComponent(service).getValue();
        }
        Await.until(LIMIT, () -> agents.agent("admin1").map(s -> s.state() == AgentState.RUNNING).orElse(false),
            () -> "admin1 not recreated: " + agents.agent("admin1"));
        assertEquals("file+admin", only(CPU).source());
        assertEquals("7s", only(CPU).properties().get("interval"));
        assertEquals("7s", cpuProperty("interval"));
    }

    private ConfigurationAdministration admin() {
        Await.until(LIMIT, () -> context.getServiceReference(ConfigurationAdministration.class) != null,
            () -> "no ConfigurationAdministration");
        ServiceReference<ConfigurationAdministration> ref =
            context.getServiceReference(ConfigurationAdministration.class);
        return context.getService(ref);
    }

    private static ConfigurationUpdate set(String pid, Map<String, String> values) {
        return new ConfigurationUpdate(pid, values, List.of(), false);
    }

    private ConfigurationView only(String pid) {
        List<ConfigurationView> found = admin().configurations(pid).stream().filter(v -> v.pid().equals(pid)).toList();
        assertEquals(1, found.size(), pid + ": " + found);
        return found.get(0);
    }

    private String cpuProperty(String key) {
        Object value = component(CPU_COMPONENT).map(c -> c.properties.get(key)).orElse(null);
        return value == null ? null : value.toString();
    }

    private Optional<ComponentConfigurationDTO> component(String name) {
        return scr.getComponentDescriptionDTOs().stream().filter(d -> d.name.equals(name))
            .flatMap(d -> scr.getComponentConfigurationDTOs(d).stream()).findFirst();
    }

    private long audited(String operation, String result) throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences(Collector.class.getName(),
            "(opsd.collector.name=admin)");
        MetricSet set = ((Collector) context.getService(refs[0])).collect();
        return set.samples().stream().filter(s -> s.name().endsWith("operations_total")
                && operation.equals(s.labels().get("operation")) && result.equals(s.labels().get("result")))
            .mapToLong(s -> (long) s.value()).sum();
    }
}
