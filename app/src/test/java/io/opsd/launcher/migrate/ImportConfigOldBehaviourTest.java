package io.opsd.launcher.migrate;

import static io.opsd.launcher.migrate.ImportRun.assertLines;
import static io.opsd.launcher.migrate.ImportRun.cfg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: a converted node behaves as the old daemon did; each difference is one the operator turns on. */
class ImportConfigOldBehaviourTest {

    @TempDir
    Path dir;

    private ImportRun run;

    private Path convert(String yaml) throws IOException {
        if (run == null) {
            run = new ImportRun(dir);
        }
        return run.convert(yaml);
    }

    @Test
    void theMemoryThresholdIsBytesWrittenExactlyAndDisabled() throws IOException {
        Path out = convert("""
            agents:
              - {id: a, binary_path: /bin/sleep, enabled: true, health_check: {memory_threshold: 524288000}}
              - {id: b, binary_path: /bin/sleep, enabled: true, health_check: {memory_threshold: 524288001}}
              - {id: c, binary_path: /bin/sleep, enabled: true, health_check: {memory_threshold: 512}}
              - {id: d, binary_path: /bin/sleep, enabled: true}
            """);
        assertLines(out.resolve("io.opsd.agent-a.cfg"),
            "# To turn opsd's check on with the old daemon's value, replace the next line with:",
            "# health.memory_threshold = 500MiB", "health.memory_threshold = disabled");
        assertLines(out.resolve("io.opsd.agent-b.cfg"), "# health.memory_threshold = 524288001B",
            "health.memory_threshold = disabled");
        assertLines(out.resolve("io.opsd.agent-c.cfg"), "# health.memory_threshold = 512B",
            "health.memory_threshold = disabled");
        assertLines(out.resolve("io.opsd.agent-d.cfg"),
            "# To turn opsd's check on (the old file has no value to keep), replace the next line with:",
            "# health.memory_threshold = 500MiB", "health.memory_threshold = disabled");
        assertFalse(Files.readString(out.resolve("io.opsd.agent-a.cfg")).contains("524288000MiB"));
        assertTrue(run.err().contains("warning: agents[2].health_check.memory_threshold = 512 is 512 bytes (the old"
            + " daemon compared it with RSS in bytes): enabling it as written restarts the agent at once"), run.err());
        assertTrue(run.err().contains("warning: agents[0].health_check.memory_threshold = 524288000 is written as"
            + " health.memory_threshold = disabled: the old daemon never acted on it; the file shows the line that"
            + " turns opsd's check on (health.memory_threshold = 500MiB)"), run.err());
    }

    @Test
    void exactSizes() {
        assertEquals("500MiB", Values.exactSize(524_288_000L));
        assertEquals("524288001B", Values.exactSize(524_288_001L));
        assertEquals("1536KiB", Values.exactSize(1_572_864L));
        assertEquals("2GiB", Values.exactSize(2L << 30));
        assertEquals("0", Values.exactSize(0));
    }

    @Test
    void theCpuThresholdIsPercentAndDisabled() throws IOException {
        Path out = convert("""
            agents: [{id: a, binary_path: /bin/sleep, enabled: true, health_check: {cpu_threshold: 80.5}}]
            """);
        assertLines(out.resolve("io.opsd.agent-a.cfg"),
            "# To turn opsd's check on with the old daemon's value, replace the next line with:",
            "# health.cpu_threshold = 80.5", "health.cpu_threshold = disabled");
    }

    @Test
    void theHttpEndpointIsWrittenAsACommentedProbe() throws IOException {
        Path out = convert("""
            agents:
              - id: a
                binary_path: /bin/sleep
                enabled: true
                health_check: {http_endpoint: "http://localhost:9100/metrics"}
            """);
        assertLines(out.resolve("io.opsd.agent-a.cfg"),
            "# to turn that on, replace the line below with:",
            "# health.http_url = http://localhost:9100/metrics",
            "health.http_url = disabled");
        assertEquals("disabled", cfg(out.resolve("io.opsd.agent-a.cfg")).get("health.http_url"));
    }

    @Test
    void aCustomAgentKeepsItsConfigFileAndNoConfigArgument() throws IOException {
        Path out = convert("""
            agents:
              - {id: p, type: custom, binary_path: /opt/p, config_file: /etc/p.yml, args: [-v], enabled: true}
              - {id: t, type: telegraf, binary_path: /usr/bin/telegraf, config_file: /etc/t.conf, enabled: true}
            """);
        assertLines(out.resolve("io.opsd.agent-p.cfg"), "# The custom type passes it as -config <file>, as the old"
            + " daemon did.", "config_file = /etc/p.yml");
        assertEquals("-v", cfg(out.resolve("io.opsd.agent-p.cfg")).get("args"), "no -config added");
        assertEquals("/etc/t.conf", cfg(out.resolve("io.opsd.agent-t.cfg")).get("config_file"));
    }

    @Test
    void anAgentWithoutWorkDirGetsTheOldDaemonsDefault() throws IOException {
        Path out = convert("""
            daemon: {work_dir: /srv/old-daemon/}
            agents:
              - {id: a, binary_path: /bin/sleep, enabled: true}
              - {id: b, binary_path: /bin/sleep, enabled: true, work_dir: /data/b}
            """);
        assertLines(out.resolve("io.opsd.agent-a.cfg"), "# The old daemon's default (<daemon.work_dir>/agents/<id>):"
                + " state the agent keeps there (filebeat's registry",
            "# under -path.home) stays where it is. opsd's own default is <data>/work/<id>.",
            "work_dir = /srv/old-daemon/agents/a");
        assertEquals("/data/b", cfg(out.resolve("io.opsd.agent-b.cfg")).get("work_dir"));

        Path plain = convert("agents: [{id: c, binary_path: /bin/sleep, enabled: true}]\n");
        assertEquals("/var/lib/daemon/agents/c", cfg(plain.resolve("io.opsd.agent-c.cfg")).get("work_dir"),
            "daemon.work_dir defaults to /var/lib/daemon");
    }

    @Test
    void agentsInheritTheEnvironmentAndTheUserIsLeftToOpsd() throws IOException {
        Path out = convert("agents: [{id: a, binary_path: /bin/sleep, enabled: true}]\n");
        Path a = out.resolve("io.opsd.agent-a.cfg");
        assertLines(a, "# (PATH, LANG, HOME) plus env: to have that, write inherit_env = false.", "inherit_env = true");
        assertLines(a, "# root needs the unit variant in docs/install.md, \"Agents that need root\"; then remove the"
            + " '#' below.", "#user = root");
        assertFalse(cfg(a).containsKey("user"));
        assertLines(a, "# As the old daemon did (opsd's own default differs; the key's comment says how to change it):",
            "# - work_dir is the old daemon's default, /var/lib/daemon/agents/a",
            "# - the agent gets opsd's environment, as it got the old daemon's (inherit_env = true)",
            "# - no health check acts on the agent: heartbeat timeout, CPU and memory thresholds and the HTTP probe"
                + " are off", "# Differs from the old daemon:",
            "# - the agent runs as opsd's user, not as root (see user)");
    }

    @Test
    void theHeartbeatPortListensOnEveryInterfaceAsBefore() throws IOException {
        Path out = convert("daemon: {http_port: 8085}\n");
        Path http = out.resolve("org.apache.felix.http.cfg");
        assertLines(http, "# the agents, or, when every agent runs on this machine, write 127.0.0.1 (opsd's default)"
                + " here.",
            "org.apache.felix.http.host = 0.0.0.0", "", "org.osgi.service.http.port = 8085");
        assertTrue(run.err().contains("warning: daemon.http_port = 8085 is carried over listening on every interface"
            + " (org.apache.felix.http.host = 0.0.0.0), as the old daemon did"), run.err());

        for (String off : new String[] {"daemon: {http_port: 0}\n", "daemon: {id: n1}\n"}) {
            Path none = convert(off);
            assertFalse(Files.exists(none.resolve("org.apache.felix.http.cfg")), off + ": opsd's loopback default");
        }
    }

    @Test
    void theOldSocketPathTurnsOnTheSocketReceiver() throws IOException {
        Path out = convert("""
            agent: {socket_path: /var/run/daemon/agent.sock, binary_path: /usr/bin/x}
            agents:
              - {id: a, binary_path: /bin/sleep, enabled: true, socket_path: /var/run/daemon/agent.sock}
              - {id: b, binary_path: /bin/sleep, enabled: true, socket_path: /run/b.sock}
              - {id: c, binary_path: /bin/sleep, enabled: true, socket_path: relative.sock}
            """);
        Path socket = out.resolve("io.opsd.heartbeat.socket.cfg");
        assertEquals(Map.of("enabled", "true", "path", "/var/run/daemon/agent.sock"), cfg(socket));
        assertLines(socket, "enabled = true");
        assertLines(socket, "path = /var/run/daemon/agent.sock");
        assertTrue(run.err().contains("warning: agents[1].socket_path = /run/b.sock is not served: opsd has one"
            + " heartbeat socket, at /var/run/daemon/agent.sock; point agent b at it"), run.err());
        assertTrue(run.err().contains("warning: agents[2].socket_path = relative.sock is not an absolute path"),
            run.err());
        assertTrue(run.err().contains("warning: agent.binary_path is not carried over: the old single-agent section"),
            run.err());
        assertFalse(run.err().contains("socket_path is not known"), run.err());

        Path perAgent = convert("agents: [{id: t, binary_path: /bin/sleep, enabled: true,"
            + " socket_path: /run/t.sock}]\n");
        assertEquals(Map.of("enabled", "true", "path", "/run/t.sock"), cfg(perAgent.resolve(
            "io.opsd.heartbeat.socket.cfg")));
        assertTrue(run.err().contains("warning: agents[0].socket_path turns on the heartbeat socket at /run/t.sock"),
            run.err());
    }

    @Test
    void withARemoteManagerGrpcListensOnEveryInterfaceWithoutAuthentication() throws IOException {
        Path out = convert("""
            daemon: {grpc_port: 9191}
            manager: {address: "10.1.2.3:9090"}
            """);
        Path grpc = out.resolve("io.opsd.grpc.server.cfg");
        assertEquals(Map.of("bind", "0.0.0.0", "port", "9191", "allow_insecure", "true"), cfg(grpc));
        assertLines(grpc, "# (contracts.md §6 row 1).", "bind = 0.0.0.0", "", "port = 9191", "",
            "# Plaintext without a token, as the old daemon (opsd logs a warning at every start). To close it: set"
                + " tls.cert_file",
            "# and tls.key_file (and tls.client_ca_file), or token, once the Manager uses them; then write"
                + " allow_insecure = false.", "allow_insecure = true");
        assertFalse(Files.exists(out.resolve("io.opsd.node.cfg")), "the node registers its real IP");

        Path defaultPort = convert("manager: {address: manager.example.net:9090}\n");
        assertEquals(Map.of("bind", "0.0.0.0", "port", "9091", "allow_insecure", "true"),
            cfg(defaultPort.resolve("io.opsd.grpc.server.cfg")), "the old default port");
    }

    @Test
    void withALocalManagerOrNoneGrpcStaysOnLoopbackAndTheNodeRegistersLoopback() throws IOException {
        Path local = convert("""
            daemon: {grpc_port: 9191}
            manager: {address: "localhost:9090"}
            """);
        Path grpc = local.resolve("io.opsd.grpc.server.cfg");
        assertEquals(Map.of("port", "9191"), cfg(grpc));
        assertLines(grpc, "#bind = 0.0.0.0");
        assertEquals(Map.of("advertise_address", "127.0.0.1"), cfg(local.resolve("io.opsd.node.cfg")));
        assertTrue(run.err().contains("warning: daemon.grpc_port = 9191 listens on 127.0.0.1 only: the old daemon"
            + " listened on every interface, but the Manager runs on this machine"), run.err());

        Path standalone = convert("daemon: {log_level: info}\n");
        assertEquals(Map.of("port", "9091"), cfg(standalone.resolve("io.opsd.grpc.server.cfg")));
        assertFalse(Files.exists(standalone.resolve("io.opsd.node.cfg")));
    }

    @Test
    void loopbackManagerAddresses() {
        for (String a : new String[] {"127.0.0.1:9090", "localhost:9090", "[::1]:9090", "127.0.1.1", "localhost"}) {
            assertTrue(GrpcMigration.isLoopback(a), a);
        }
        for (String a : new String[] {"10.0.0.1:9090", "manager.example.net:9090", "[2001:db8::1]:9090", "::"}) {
            assertFalse(GrpcMigration.isLoopback(a), a);
        }
    }
}
