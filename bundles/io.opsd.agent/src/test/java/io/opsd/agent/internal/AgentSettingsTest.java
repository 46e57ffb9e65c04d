package io.opsd.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

import io.opsd.api.config.InvalidConfigurationException;

class AgentSettingsTest {

    /** Accounts as seen by opsd running as root, with the host's real users. */
    private static final Accounts AS_ROOT = new Accounts(Accounts::getent, 0);

    private static AgentSettings of(String name, Map<String, Object> values) {
        Map<String, Object> props = new HashMap<>(values);
        props.put("service.pid", "io.opsd.agent~" + name);
        props.put("felix.fileinstall.filename", "file:/etc/opsd/io.opsd.agent-" + name + ".cfg");
        return AgentSettings.of(Converters.standardConverter().convert(values).to(AgentConfig.class), props,
            Path.of("/var/lib/opsd"), AS_ROOT);
    }

    private static String rejection(String name, Map<String, Object> values) {
        return assertThrows(InvalidConfigurationException.class, () -> of(name, values)).getMessage();
    }

    @Test
    void theIdComesFromTheFileNameAndDefaultsMatchTheDesign() {
        AgentSettings s = of("filebeat", Map.of("binary_path", "/bin/sh"));
        assertEquals("filebeat", s.launch().id());
        assertEquals(Path.of("/var/lib/opsd/work/filebeat"), s.launch().workDir());
        assertEquals(Duration.ofSeconds(30), s.health().interval());
        assertEquals(Optional.of(Duration.ofSeconds(90)), s.health().heartbeatTimeout());
        assertEquals(RestartPolicy.Mode.ALWAYS, s.restart().mode());
        assertEquals(10, s.restart().maxRetries());
        assertEquals(Duration.ofSeconds(30), s.stopTimeout());
        assertEquals(100L << 20, s.logs().maxSize());
        assertTrue(s.enabled());
    }

    @org.junit.jupiter.api.io.TempDir
    Path tmp;

    @Test
    void anHttpProbeDisabledTurnsOffTheTypesDefaultProbeToo() {
        AgentSettings.Health disabled = of("a", Map.of("binary_path", "/bin/sh", "health.http_url", "Disabled"))
            .health();
        assertFalse(disabled.typeProbe());
        assertTrue(disabled.httpUrl().isEmpty());
        AgentSettings.Health unset = of("a", Map.of("binary_path", "/bin/sh")).health();
        assertTrue(unset.typeProbe());
        assertTrue(unset.httpUrl().isEmpty());
        AgentSettings.Health set = of("a", Map.of("binary_path", "/bin/sh", "health.http_url", "http://127.0.0.1:1/x"))
            .health();
        assertEquals("http://127.0.0.1:1/x", set.httpUrl().orElseThrow().toString());
    }

    @Test
    void badValuesAreRefusedNamingTheFileAndKey() throws Exception {
        Path plain = java.nio.file.Files.writeString(tmp.resolve("not-a-program"), "text");
        assertTrue(rejection("a", Map.of("binary_path", "sh")).contains("binary_path = \"sh\" is not absolute"));
        assertTrue(rejection("a", Map.of("binary_path", "/nonexistent/agent"))
            .contains("does not exist or is not a file"));
        assertTrue(rejection("a", Map.of("binary_path", plain.toString())).contains("is not executable"));
        assertTrue(rejection("a", Map.of()).contains("binary_path = \"\" is required"));
        assertTrue(rejection("a", Map.of("binary_path", "/bin/sh", "restart.policy", "sometimes"))
            .startsWith("io.opsd.agent~a (/etc/opsd/io.opsd.agent-a.cfg): restart.policy = \"sometimes\""));
        assertTrue(rejection("a", Map.of("binary_path", "/bin/sh", "id", "b")).contains("differs from the name"));
        assertTrue(rejection("a", Map.of("binary_path", "/bin/sh", "args", "\"open")).contains("unclosed"));
        assertTrue(rejection("a", Map.of("binary_path", "/bin/sh", "health.http_url", "ftp://x/"))
            .contains("health.http_url"));
        assertTrue(rejection("a", Map.of("binary_path", "/bin/sh", "health.tcp_address", "nohost"))
            .contains("health.tcp_address"));
        assertTrue(rejection("..", Map.of("binary_path", "/bin/sh")).contains("id = \"..\" is not a valid agent id"));
    }

    @Test
    void disabledTurnsTheHeartbeatTimeoutOff() {
        assertEquals(Optional.empty(), of("a", Map.of("binary_path", "/bin/sh", "health.heartbeat_timeout",
            "disabled")).health().heartbeatTimeout());
    }

    @Test
    void thresholdsTakeDisabledLikeZero() {
        AgentSettings off = of("a", Map.of("binary_path", "/bin/sh", "health.cpu_threshold", "disabled",
            "health.memory_threshold", "Disabled"));
        assertEquals(0, off.health().cpuThreshold());
        assertEquals(0, off.health().memoryThreshold());
        AgentSettings zero = of("a", Map.of("binary_path", "/bin/sh", "health.cpu_threshold", "0",
            "health.memory_threshold", "0"));
        assertEquals(0, zero.health().cpuThreshold());
        assertEquals(0, zero.health().memoryThreshold());
        AgentSettings defaults = of("a", Map.of("binary_path", "/bin/sh"));
        assertEquals(50, defaults.health().cpuThreshold());
        assertEquals(500L << 20, defaults.health().memoryThreshold());
    }

    @Test
    void cpuThresholdsAreNumbersAsTextOrTyped() {
        assertEquals(80, of("a", Map.of("binary_path", "/bin/sh", "health.cpu_threshold", "80"))
            .health().cpuThreshold());
        assertEquals(150.5, of("a", Map.of("binary_path", "/bin/sh", "health.cpu_threshold", 150.5))
            .health().cpuThreshold(), "a typed value from config:edit or ConfigurationAdmin");
        for (String bad : List.of("off", "-1", "NaN", "Infinity", "50%", "")) {
            String e = rejection("a", Map.of("binary_path", "/bin/sh", "health.cpu_threshold", bad));
            assertTrue(e.startsWith("io.opsd.agent~a (/etc/opsd/io.opsd.agent-a.cfg): health.cpu_threshold = \""
                + bad + "\" is not a threshold"), e);
            assertTrue(e.contains("0 or disabled"), e);
        }
    }

    @Test
    void memoryThresholdsAreSizesWithAByteSuffixAndABareNumberIsBytes() {
        assertEquals(524_288_000L, of("a", Map.of("binary_path", "/bin/sh", "health.memory_threshold",
            "524288000B")).health().memoryThreshold(), "what import-config writes for the old 500 (MB)");
        assertEquals(524_288_000L, of("a", Map.of("binary_path", "/bin/sh", "health.memory_threshold",
            "524288000")).health().memoryThreshold(), "a bare number is bytes, as for every opsd size");
        assertEquals(524_288_000L, of("a", Map.of("binary_path", "/bin/sh", "health.memory_threshold",
            "500MiB")).health().memoryThreshold());
        String e = rejection("a", Map.of("binary_path", "/bin/sh", "health.memory_threshold", "500 megs"));
        assertTrue(e.contains("health.memory_threshold = \"500 megs\" is not a size"), e);
        assertTrue(e.endsWith("0 or disabled turns the check off"), e);
    }

    @Test
    void inheritEnvIsOffByDefaultAndMustBeABoolean() {
        assertFalse(of("a", Map.of("binary_path", "/bin/sh")).launch().inheritEnv());
        assertTrue(of("a", Map.of("binary_path", "/bin/sh", "inherit_env", "true")).launch().inheritEnv());
        assertTrue(rejection("a", Map.of("binary_path", "/bin/sh", "inherit_env", "yes"))
            .contains("inherit_env = \"yes\" is not true or false"));
    }

    @Test
    void userIsResolvedOrRefusedNamingTheFileAndKey() {
        assertEquals(Optional.empty(), of("a", Map.of("binary_path", "/bin/sh")).launch().runAs());
        assertEquals(Optional.empty(), of("a", Map.of("binary_path", "/bin/sh", "user", "root")).launch().runAs(),
            "opsd's own user changes nothing");
        Accounts.Account nobody = of("a", Map.of("binary_path", "/bin/sh", "user", "nobody")).launch().runAs()
            .orElseThrow();
        assertEquals("nobody", nobody.name());
        assertEquals(65534, nobody.uid());
        String e = rejection("a", Map.of("binary_path", "/bin/sh", "user", "no-such-user-x"));
        assertTrue(e.startsWith("io.opsd.agent~a (/etc/opsd/io.opsd.agent-a.cfg): user = \"no-such-user-x\" is not"
            + " a user on this host"), e);
        assertTrue(rejection("a", Map.of("binary_path", "/bin/sh", "user", "root;id")).contains("is not a user name"));
    }

    @Test
    void onlyLaunchSettingsMakeADifferentLaunch() {
        AgentSettings a = of("a", Map.of("binary_path", "/bin/sh", "args", "-c x"));
        assertTrue(a.launch().sameLaunch(of("a", Map.of("binary_path", "/bin/sh", "args", "-c x",
            "health.interval", "5s", "log.max_files", 3)).launch()));
        assertFalse(a.launch().sameLaunch(of("a", Map.of("binary_path", "/bin/sh", "args", "-c y")).launch()));
        assertFalse(a.launch().sameLaunch(of("a", Map.of("binary_path", "/bin/sh", "args", "-c x",
            "env", "A=1")).launch()));
        assertFalse(a.launch().sameLaunch(of("a", Map.of("binary_path", "/bin/sh", "args", "-c x",
            "inherit_env", "true")).launch()));
        assertFalse(a.launch().sameLaunch(of("a", Map.of("binary_path", "/bin/sh", "args", "-c x",
            "user", "nobody")).launch()));
    }

    @Test
    void argsAreSplitOnBlanksWithDoubleQuotesGroupingAndNothingExpanded() {
        assertEquals(List.of("-c", "trap '' TERM; sleep 1", "$HOME", "*"),
            ArgsSplitter.split("-c \"trap '' TERM; sleep 1\"  $HOME *"));
        assertEquals(List.of("a", ""), ArgsSplitter.split("a \"\""));
        assertEquals(List.of(), ArgsSplitter.split("   "));
    }

    @Test
    void backoffFollowsTheFormula() {
        RestartPolicy p = new RestartPolicy(RestartPolicy.Mode.ALWAYS, 10, Duration.ofSeconds(10),
            Duration.ofSeconds(60), Duration.ofMinutes(5));
        assertEquals(List.of(10L, 20L, 40L, 60L, 60L), List.of(p.backoff(1), p.backoff(2), p.backoff(3), p.backoff(4),
            p.backoff(50)).stream().map(Duration::toSeconds).toList());
        assertTrue(new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 1, Duration.ZERO, Duration.ZERO,
            Duration.ZERO).restarts(true));
        assertFalse(new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 1, Duration.ZERO, Duration.ZERO,
            Duration.ZERO).restarts(false));
        assertFalse(new RestartPolicy(RestartPolicy.Mode.NEVER, 1, Duration.ZERO, Duration.ZERO,
            Duration.ZERO).restarts(true));
    }
}
