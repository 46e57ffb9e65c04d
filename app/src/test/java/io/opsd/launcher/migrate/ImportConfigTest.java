package io.opsd.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportConfigTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ImportConfig.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path fixture() throws IOException {
        Path yaml = dir.resolve("daemon.yaml");
        try (InputStream in = getClass().getResourceAsStream("/migrate/daemon.yaml")) {
            Files.copy(in, yaml);
        }
        return yaml;
    }

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("daemon.yaml"), text);
    }

    /** The file as FileInstall reads it (Properties syntax), keys sorted. */
    private static Map<String, String> cfg(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        Map<String, String> out = new TreeMap<>();
        p.forEach((k, v) -> out.put((String) k, (String) v));
        return out;
    }

    @Test
    void theOldDaemonsFileBecomesOneCfgPerPid() throws IOException {
        Path out = dir.resolve("out/runtime-config");
        assertEquals(0, run(fixture().toString(), "--out", out.toString()), err());

        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("io.opsd.agent-custom-probe.cfg", "io.opsd.agent-filebeat.cfg",
                "io.opsd.agent-telegraf.cfg", "io.opsd.collector.cpu.cfg", "io.opsd.collector.disk.cfg",
                "io.opsd.collector.memory.cfg", "io.opsd.collector.network.cfg", "io.opsd.grpc.server.cfg",
                "io.opsd.heartbeat.socket.cfg", "io.opsd.manager.cfg", "io.opsd.node.cfg", "org.apache.felix.http.cfg",
                "org.osgi.service.log.admin.cfg"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(Map.of("id", "edge-gw-0042", "labels", "site=lab,rack=r1"), cfg(out.resolve("io.opsd.node.cfg")));
        assertEquals(Map.of("bind", "0.0.0.0", "port", "9191", "allow_insecure", "true"),
            cfg(out.resolve("io.opsd.grpc.server.cfg")), "the Manager is on another machine");
        assertEquals(Map.of("org.apache.felix.http.host", "0.0.0.0", "org.osgi.service.http.port", "8085",
            "org.apache.felix.https.enable", "false", "org.apache.felix.http.timeout", "15000"),
            cfg(out.resolve("org.apache.felix.http.cfg")));
        assertEquals(Map.of("enabled", "true", "path", "/var/run/daemon/telegraf.sock"),
            cfg(out.resolve("io.opsd.heartbeat.socket.cfg")));
        assertEquals(Map.of("ROOT", "INFO", "Events", "WARN"), cfg(out.resolve("org.osgi.service.log.admin.cfg")));
        assertEquals(Map.of("address", "manager.example.net:9090", "heartbeat_interval", "30s",
            "report_interval", "30s", "timeout", "10s", "tls.ca_file", "/etc/daemon/tls/ca.crt",
            "tls.cert_file", "/etc/daemon/tls/node.crt", "tls.key_file", "/etc/daemon/tls/node.key"),
            cfg(out.resolve("io.opsd.manager.cfg")));
        assertEquals(Map.of("enabled", "true", "interval", "30s"), cfg(out.resolve("io.opsd.collector.cpu.cfg")));
        assertEquals(Map.of("enabled", "true", "interval", "1m"), cfg(out.resolve("io.opsd.collector.memory.cfg")));
        assertEquals(Map.of("enabled", "true", "interval", "5m", "mount_points", "/,/data"),
            cfg(out.resolve("io.opsd.collector.disk.cfg")));
        assertEquals(Map.of("enabled", "false", "interval", "30s"), cfg(out.resolve("io.opsd.collector.network.cfg")));

        Map<String, String> filebeat = new TreeMap<>();
        filebeat.put("id", "filebeat");
        filebeat.put("type", "filebeat");
        filebeat.put("name", "Filebeat");
        filebeat.put("binary_path", "/usr/share/filebeat/bin/filebeat");
        filebeat.put("args", "-e --strict.perms=false");
        filebeat.put("config_file", "/etc/filebeat/filebeat.yml");
        filebeat.put("work_dir", "/var/lib/daemon/agents/filebeat");
        filebeat.put("env", "GOMAXPROCS=1,LOG_DIR=/var/log/filebeat");
        filebeat.put("inherit_env", "true");
        filebeat.put("enabled", "true");
        filebeat.put("health.interval", "30s"); // from agent_defaults
        filebeat.put("health.heartbeat_timeout", "disabled"); // agent_defaults' 0s
        filebeat.put("health.cpu_threshold", "disabled");
        filebeat.put("health.memory_threshold", "disabled");
        filebeat.put("health.http_url", "disabled"); // http_endpoint was a stub: no probe, not even the type's
        filebeat.put("restart.policy", "always");
        filebeat.put("restart.max_retries", "5");
        filebeat.put("restart.backoff_base", "10s");
        filebeat.put("restart.backoff_max", "1m");
        filebeat.put("log.max_size", "50MiB");
        filebeat.put("log.max_files", "5");
        filebeat.put("log.compress", "true");
        assertEquals(filebeat, cfg(out.resolve("io.opsd.agent-filebeat.cfg")));
        ImportRun.assertLines(out.resolve("io.opsd.agent-filebeat.cfg"), "# health.memory_threshold = 256MiB",
            "health.memory_threshold = disabled"); // the agent's own value wins, in bytes

        Map<String, String> telegraf = cfg(out.resolve("io.opsd.agent-telegraf.cfg"));
        assertEquals("disabled", telegraf.get("health.heartbeat_timeout"));
        assertEquals("/var/lib/daemon/agents/telegraf", telegraf.get("work_dir"));
        assertEquals("on-failure", telegraf.get("restart.policy"));
        assertEquals("3", telegraf.get("restart.max_retries"));
        assertEquals("2m", telegraf.get("restart.backoff_max"));
        assertFalse(telegraf.containsKey("args"));

        Map<String, String> probe = cfg(out.resolve("io.opsd.agent-custom-probe.cfg"));
        assertEquals("--listen 127.0.0.1:9200 --label \"two words\"", probe.get("args"));
        assertEquals("false", probe.get("enabled"), "the old daemon started only agents with enabled: true");

        String stdout = this.out.toString(StandardCharsets.UTF_8);
        assertTrue(stdout.contains("wrote " + out.resolve("io.opsd.node.cfg")), stdout);
        assertTrue(stdout.contains("imported 3 agent(s): filebeat, telegraf, custom-probe"), stdout);
    }

    @Test
    void everyKeyNotCarriedOverIsNamedInAWarning() throws IOException {
        assertEquals(0, run(fixture().toString(), "--out", dir.resolve("out").toString()));
        List<String> warnings = err().lines().toList();
        for (String expected : List.of(
            "warning: update.url is not carried over: opsd has no self-update",
            "warning: update.enabled is not carried over: opsd has no self-update",
            "warning: update.check_interval is not carried over: opsd has no self-update",
            "warning: pprof.port is not carried over: opsd has no pprof endpoint",
            "warning: max_procs is not carried over: it is a Go runtime setting",
            "warning: daemon.log_file is not carried over",
            "warning: daemon.pid_file is not carried over",
            "warning: daemon.work_dir is not carried over: opsd keeps its state in <opsd home>/data"
                + " (-Dopsd.data.dir); to keep this node's identity and its agents' history, run import-config with"
                + " --from-node /var/lib/daemon",
            "warning: manager.reconnect_interval is not carried over: the old daemon never used it",
            "warning: agents[1].socket_path turns on the heartbeat socket at /var/run/daemon/telegraf.sock",
            "warning: agents[2].enabled is not set: the old daemon did not start agent custom-probe",
            "warning: agents[0].args is carried over as args = -e --strict.perms=false: the old daemon ignored args",
            "warning: agents[0].health_check.http_endpoint is written as health.http_url = disabled",
            "warning: agents[1].health_check.heartbeat_timeout = 90s is written as disabled",
            "warning: agent_defaults.health_check.cpu_threshold = 80 is written as health.cpu_threshold = disabled",
            "warning: daemon.http_port = 8085 is carried over listening on every interface",
            "warning: daemon.grpc_port = 9191 is carried over listening on every interface (bind = 0.0.0.0)")) {
            assertTrue(warnings.stream().anyMatch(w -> w.startsWith(expected)), expected + " in\n" + err());
        }
        assertTrue(warnings.stream().allMatch(w -> w.startsWith("warning: ")), err());
        assertEquals(warnings.size(), warnings.stream().distinct().count(), "each warning once:\n" + err());
    }

    @Test
    void everyOldHeartbeatTimeoutBecomesDisabledWithTheLineThatTurnsItOn() throws IOException {
        Path yaml = yaml("""
            agents:
              - {id: a, binary_path: /bin/sleep, enabled: true, health_check: {heartbeat_timeout: 0}}
              - {id: b, binary_path: /bin/sleep, enabled: true, health_check: {heartbeat_timeout: 0s}}
              - {id: c, binary_path: /bin/sleep, enabled: true}
              - {id: d, binary_path: /bin/sleep, enabled: true, health_check: {heartbeat_timeout: 1m30s}}
            """);
        Path out = dir.resolve("out");
        assertEquals(0, run(yaml.toString(), "--out", out.toString()));
        for (String id : List.of("a", "b", "c", "d")) {
            assertEquals("disabled", cfg(out.resolve("io.opsd.agent-" + id + ".cfg")).get("health.heartbeat_timeout"),
                id);
        }
        ImportRun.assertLines(out.resolve("io.opsd.agent-d.cfg"),
            "# To turn opsd's check on with the old daemon's value, replace the next line with:",
            "# health.heartbeat_timeout = 90s", "health.heartbeat_timeout = disabled");
        ImportRun.assertLines(out.resolve("io.opsd.agent-a.cfg"),
            "# To turn opsd's check on (the old file has no value to keep), replace the next line with:",
            "# health.heartbeat_timeout = 90s", "health.heartbeat_timeout = disabled");
        assertTrue(err().contains("warning: agents[3].health_check.heartbeat_timeout = 90s is written as disabled: the"
            + " old daemon never fired it"), err());
        assertTrue(err().contains("warning: agents[0].health_check.heartbeat_timeout = 0 becomes disabled: the old"
            + " daemon never fired the heartbeat timeout"), err());
        assertTrue(err().contains("warning: agents[1].health_check.heartbeat_timeout = 0s becomes disabled"), err());
        assertTrue(err().contains("warning: agents[2].health_check.heartbeat_timeout is not set: written as disabled"),
            err());
    }

    @Test
    void anAgentWithABadIdIsSkippedWithAWarning() throws IOException {
        Path yaml = yaml("""
            agents:
              - {id: ../../etc/passwd, binary_path: /bin/true, enabled: true}
              - {id: "has space", binary_path: /bin/true, enabled: true}
              - {id: -dash-first, binary_path: /bin/true, enabled: true}
              - {id: %s, binary_path: /bin/true, enabled: true}
              - {binary_path: /bin/true}
              - {id: ok.agent_1, binary_path: /bin/true, enabled: true}
              - {id: ok.agent_1, binary_path: /bin/false, enabled: true}
            """.formatted("x".repeat(101)));
        Path out = dir.resolve("out");
        assertEquals(0, run(yaml.toString(), "--out", out.toString()));
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("io.opsd.agent-ok.agent_1.cfg"), files.map(p -> p.getFileName().toString())
                .filter(n -> n.startsWith("io.opsd.agent")).toList());
        }
        assertEquals("/bin/true", cfg(out.resolve("io.opsd.agent-ok.agent_1.cfg")).get("binary_path"));
        assertTrue(err().contains("warning: agents[0].id = ../../etc/passwd is not an agent id opsd accepts"), err());
        assertTrue(err().contains("warning: agents[1].id = has space is not an agent id"), err());
        assertTrue(err().contains("warning: agents[2].id = -dash-first is not an agent id"), err());
        assertTrue(err().contains("warning: agents[3].id = xxx"), err());
        assertTrue(err().contains("warning: agents[4] has no id; agent skipped"), err());
        assertTrue(err().contains("warning: agents[6].id = ok.agent_1 is the id of an earlier agent"), err());
        assertFalse(Files.exists(dir.resolve("etc")), "nothing is written outside DIR");
    }

    @Test
    void unknownKeysAreWarnedAboutWhereverTheyAre() throws IOException {
        Path yaml = yaml("""
            daemon: {id: n1, colour: blue}
            manager: {address: "127.0.0.1:9090", retry: 3}
            collectors: {cpu: {enabled: true, percpu: true}, gpu: {enabled: true}}
            agent_defaults: {health_check: {open_files_threshold: 100}, nice: 5}
            agents:
              - {id: a, binary_path: /bin/sleep, enabled: true, log: {max_age: 7}}
              - {id: b, binary_path: /bin/sleep, enabled: true}
            something_else: {x: 1}
            """);
        assertEquals(0, run(yaml.toString(), "--out", dir.resolve("out").toString()));
        List<String> warnings = err().lines().toList();
        for (String path : List.of("daemon.colour", "manager.retry", "collectors.cpu.percpu",
            "agent_defaults.health_check.open_files_threshold", "agent_defaults.nice", "agents[0].log.max_age",
            "something_else")) {
            assertEquals(1, warnings.stream().filter(w -> w.equals("warning: " + path
                + " is not known to import-config; not carried over")).count(), path + " once in\n" + err());
        }
        assertTrue(err().contains("warning: collectors.gpu is not carried over: opsd has no gpu collector"), err());
        assertTrue(err().contains("warning: collectors.memory.enabled is not set: the old daemon did not run this"
            + " collector, so it is written as enabled = false"), err());
    }

    @Test
    void valuesAreWrittenSoFileInstallReadsThemBack() throws IOException {
        Path yaml = yaml("""
            agents:
              - id: w
                binary_path: 'C:\\odd\\path'
                args: ["-c", "sleep 100000", ""]
                env: {PATH_X: "/a b", "BAD KEY": x, COMMA: "a,b"}
                enabled: yes
                name: "caf\u00e9 #1 = two"
            """);
        Path out = dir.resolve("out");
        assertEquals(0, run(yaml.toString(), "--out", out.toString()));
        Map<String, String> w = cfg(out.resolve("io.opsd.agent-w.cfg"));
        assertEquals("C:\\odd\\path", w.get("binary_path"));
        assertEquals("-c \"sleep 100000\" \"\"", w.get("args"));
        assertEquals("PATH_X=/a b", w.get("env"));
        assertEquals("true", w.get("enabled"));
        assertEquals("caf\u00e9 #1 = two", w.get("name"));
        assertTrue(err().contains("warning: agents[0].env.BAD KEY has a name opsd does not accept"), err());
        assertTrue(err().contains("warning: agents[0].env.COMMA has a value with a comma"), err());
        assertTrue(err().contains("warning: agents[0].binary_path = C:\\odd\\path is not an absolute path"), err());
    }

    @Test
    void anArgumentWithADoubleQuoteCannotBeWritten() throws IOException {
        Path yaml = yaml("""
            agents: [{id: q, binary_path: /bin/echo, enabled: true, args: ["say \\"hi\\""]}]
            """);
        assertEquals(0, run(yaml.toString(), "--out", dir.resolve("out").toString()));
        assertFalse(cfg(dir.resolve("out/io.opsd.agent-q.cfg")).containsKey("args"));
        assertTrue(err().contains("warning: agents[0].args has the argument say \"hi\", which holds a double quote"),
            err());
    }

    @Test
    void goDurationsBecomeOpsdDurations() {
        assertEquals("90s", Values.format(90_000_000_000L));
        assertEquals("1h", Values.format(3_600_000_000_000L));
        assertEquals("1500ms", Values.format(1_500_000_000L));
        assertEquals("1ms", Values.format(1L));
        assertEquals("0s", Values.format(0L));
    }

    @Test
    void exitCodes() throws IOException {
        Path good = yaml("daemon: {id: n1}\n");
        assertEquals(2, run());
        assertEquals(2, run(good.toString()), "no --out");
        assertEquals(2, run("--out", dir.toString()), "no YAML");
        assertEquals(2, run(good.toString(), "--out"));
        assertEquals(2, run(good.toString(), "other.yaml", "--out", dir.toString()));
        assertEquals(2, run(good.toString(), "--force", "--out", dir.toString()));
        assertEquals(2, run(good.toString(), "--out", dir.toString(), "--data", dir.toString()), "--data alone");
        assertEquals(2, run(good.toString(), "--out", dir.toString(), "--from-node"));
        assertTrue(err().contains("Usage: java -jar opsd.jar import-config daemon.yaml --out DIR"), err());

        assertEquals(1, run(dir.resolve("missing.yaml").toString(), "--out", dir.resolve("o1").toString()));
        assertTrue(err().contains("missing.yaml: no such file"), err());
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "daemon: {id: [unclosed\n");
        assertEquals(1, run(broken.toString(), "--out", dir.resolve("o2").toString()));
        Path list = Files.writeString(dir.resolve("list.yaml"), "- a\n- b\n");
        assertEquals(1, run(list.toString(), "--out", dir.resolve("o3").toString()));
        Path dup = Files.writeString(dir.resolve("dup.yaml"), "daemon: {id: a}\ndaemon: {id: b}\n");
        assertEquals(1, run(dup.toString(), "--out", dir.resolve("o4").toString()));
        assertFalse(Files.exists(dir.resolve("o1")) || Files.exists(dir.resolve("o2")), "nothing written");

        Path file = Files.writeString(dir.resolve("a-file"), "");
        assertEquals(3, run(good.toString(), "--out", file.toString()));
        assertEquals(4, run(good.toString(), "--out", dir.resolve("o6").toString(), "--from-node",
            dir.resolve("no-such-dir").toString()));
        assertFalse(Files.exists(dir.resolve("o6")), "nothing written when the old node cannot be read");

        assertEquals(0, run(good.toString(), "--out=" + dir.resolve("o5")));
        assertEquals("n1", cfg(dir.resolve("o5/io.opsd.node.cfg")).get("id"));
        assertEquals(0, run("--help"));
    }
}
