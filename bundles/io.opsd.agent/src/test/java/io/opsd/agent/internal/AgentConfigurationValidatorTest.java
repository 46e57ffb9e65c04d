package io.opsd.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigurationValidatorTest {

    @TempDir
    Path data;

    private AgentConfigurationValidator validator() {
        return new AgentConfigurationValidator(data, Accounts.system());
    }

    @Test
    void aCustomAgentWithAnExecutableIsValid() {
        assertEquals(List.of(), validator().problems(Map.of("service.pid", "io.opsd.agent~web1",
            "type", "custom", "binary_path", "/bin/sleep", "args", "60", "health.interval", "5s",
            "restart.max_retries", "3")));
    }

    @Test
    void eachRefusalNamesItsKey() {
        List<String> missing = validator().problems(Map.of("service.pid", "io.opsd.agent~web1",
            "binary_path", "/no/such/binary"));
        assertEquals(1, missing.size());
        assertTrue(missing.get(0).contains("binary_path"), missing.get(0));

        List<String> bad = validator().problems(Map.of("service.pid", "io.opsd.agent~web1",
            "binary_path", "/bin/sleep", "health.interval", "soon"));
        assertTrue(bad.get(0).contains("health.interval"), bad.get(0));

        List<String> number = validator().problems(Map.of("service.pid", "io.opsd.agent~web1",
            "binary_path", "/bin/sleep", "restart.max_retries", "many"));
        assertTrue(number.get(0).contains("restart.max_retries"), number.get(0));
    }
}
