package io.opsd.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class AgentEnvironmentTest {

    private static final Map<String, String> OPSD = Map.of("PATH", "/opt/site/bin:/usr/bin", "HOME", "/root",
        "USER", "root", "DOCKER_HOST", "unix:///run/docker.sock", "OPSD_AGENT_ID", "someone-else");

    private static AgentSettings.Launch launch(boolean inheritEnv, Map<String, String> env) {
        return launch(inheritEnv, env, Optional.empty());
    }

    private static AgentSettings.Launch launch(boolean inheritEnv, Map<String, String> env,
                                               Optional<Accounts.Account> runAs) {
        return new AgentSettings.Launch("fb", "custom", Path.of("/bin/sh"), List.of(), Optional.empty(),
            Path.of("/var/lib/opsd/data/work/fb"), env, inheritEnv, runAs, false, Map.of());
    }

    @Test
    void byDefaultTheAgentGetsTheSameCleanEnvironmentAsBefore() {
        assertEquals(Map.of("PATH", AgentEnvironment.PATH, "LANG", "C.UTF-8", "HOME", "/var/lib/opsd/data/work/fb",
            "OPSD_AGENT_ID", "fb", "A", "1"), AgentEnvironment.of(launch(false, Map.of("A", "1")), OPSD));
    }

    @Test
    void inheritEnvStartsFromOpsdsEnvironmentWithHomeTheIdAndEnvOnTop() {
        assertEquals(Map.of("PATH", "/opt/site/bin:/usr/bin", "USER", "root", "DOCKER_HOST", "tcp://127.0.0.1:2375",
            "HOME", "/var/lib/opsd/data/work/fb", "OPSD_AGENT_ID", "fb", "A", "1"),
            AgentEnvironment.of(launch(true, Map.of("A", "1", "DOCKER_HOST", "tcp://127.0.0.1:2375")), OPSD));
    }

    @Test
    void anAgentRunAsAnotherUserSeesThatUsersName() {
        Map<String, String> env = AgentEnvironment.of(launch(true, Map.of(),
            Optional.of(new Accounts.Account("filebeat", 998, 997))), OPSD);
        assertEquals("filebeat", env.get("USER"));
        assertEquals("filebeat", env.get("LOGNAME"));
        assertEquals("/var/lib/opsd/data/work/fb", env.get("HOME"));
    }
}
