package io.opsd.agent.types.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.opsd.api.agent.AgentDefinition;

class TypesTest {

    private static AgentDefinition agent(Optional<Path> config, List<String> args, Map<String, Object> props) {
        return new AgentDefinition("a", "t", Path.of("/usr/bin/x"), args, config, Path.of("/var/lib/opsd/work/a"),
            props);
    }

    @Test
    void theOldDaemonsCommandLines() {
        assertEquals(List.of("/usr/bin/x", "-c", "/etc/fb.yml", "-path.home", "/var/lib/opsd/work/a", "-e"),
            new FilebeatType().command(agent(Optional.of(Path.of("/etc/fb.yml")), List.of("-e"), Map.of())));
        assertEquals(List.of("/usr/bin/x", "-config", "/etc/t.conf"),
            new TelegrafType().command(agent(Optional.of(Path.of("/etc/t.conf")), List.of(), Map.of())));
        assertEquals(List.of("/usr/bin/x", "--web.listen-address=:9100"),
            new NodeExporterType().command(agent(Optional.empty(), List.of(), Map.of())));
        assertEquals(List.of("/usr/bin/x", "a b", "c"),
            new CustomType().command(agent(Optional.empty(), List.of("a b", "c"), Map.of())));
    }

    @Test
    void customPutsMinusConfigBeforeTheArgumentsWhenAConfigurationFileIsSet() {
        assertEquals(List.of("/usr/bin/x", "-config", "/etc/agent.yml", "-v", "a b"),
            new CustomType().command(agent(Optional.of(Path.of("/etc/agent.yml")), List.of("-v", "a b"), Map.of())));
        assertEquals(List.of("/usr/bin/x", "-config", "/etc/agent.yml"),
            new CustomType().command(agent(Optional.of(Path.of("/etc/agent.yml")), List.of(), Map.of())));
        assertEquals(List.of("/usr/bin/x", "-v"),
            new CustomType().command(agent(Optional.empty(), List.of("-v"), Map.of())), "no config_file: args only");
    }

    @Test
    void nodeExporterProbesItsOwnMetricsPage() {
        assertEquals(Optional.of("http://127.0.0.1:9100/metrics"),
            new NodeExporterType().defaultHttpProbe(agent(Optional.empty(), List.of(), Map.of())));
        assertEquals(Optional.of("http://127.0.0.1:19100/metrics"), new NodeExporterType().defaultHttpProbe(
            agent(Optional.empty(), List.of(), Map.of(NodeExporterType.LISTEN_ADDRESS, "127.0.0.1:19100"))));
        assertThrows(IllegalArgumentException.class, () -> new NodeExporterType().command(
            agent(Optional.empty(), List.of(), Map.of(NodeExporterType.LISTEN_ADDRESS, "9100; rm -rf /"))));
    }

    @Test
    void typesThatNeedAConfigurationFileSaySo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new FilebeatType().command(agent(Optional.empty(), List.of(), Map.of())));
        assertEquals("filebeat needs config_file, the path of filebeat.yml", e.getMessage());
    }
}
