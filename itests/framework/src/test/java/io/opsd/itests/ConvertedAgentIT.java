package io.opsd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.opsd.api.agent.AgentManager;
import io.opsd.testing.Await;

/**
 * What a node converted from the old daemon asks of its agents (inherit_env, user), with real processes: each agent
 * is a /bin/sh that writes what it sees into its work directory, which is its HOME.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class ConvertedAgentIT {

    /** Variables the shell itself may add or change before running env. */
    private static final Set<String> SHELL_OWN = Set.of("PWD", "OLDPWD", "SHLVL", "_");

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin cm;

    @InjectService(timeout = 10_000)
    AgentManager agents;

    private Path workDir(String id) {
        return Path.of(context.getProperty("opsd.data.dir"), "work", id);
    }

    /** Runs a one-shot agent whose script writes $HOME/out (renamed into place whole) and returns what it wrote. */
    private String runOnce(Agents a, String id, String script, Map<String, Object> more) throws IOException {
        Path out = workDir(id).resolve("out");
        Files.deleteIfExists(out);
        Map<String, Object> keys = new HashMap<>(more);
        keys.put("restart.policy", "never");
        a.shell(id, script + " > $HOME/out.tmp && mv $HOME/out.tmp $HOME/out", keys);
        Await.until(Agents.LIMIT, () -> Files.exists(out), () -> id + " wrote nothing: " + agents.agent(id));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static Map<String, String> environment(String envDashZero) {
        Map<String, String> env = new HashMap<>();
        for (String entry : envDashZero.split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return env;
    }

    @Test
    void inheritEnvGivesTheAgentOpsdsEnvironmentWithHomeTheIdAndEnvOnTop() throws Exception {
        try (Agents a = new Agents(context, cm, agents)) {
            Map<String, String> seen = environment(runOnce(a, "it-inherit", "/usr/bin/env -0",
                Map.of("inherit_env", "true", "env", "OPSD_IT_MARK=on-top")));
            assertEquals(workDir("it-inherit").toString(), seen.get("HOME"));
            assertEquals("it-inherit", seen.get("OPSD_AGENT_ID"));
            assertEquals("on-top", seen.get("OPSD_IT_MARK"));
            int compared = 0;
            for (Map.Entry<String, String> e : System.getenv().entrySet()) {
                String key = e.getKey();
                if (SHELL_OWN.contains(key) || Set.of("HOME", "OPSD_AGENT_ID", "OPSD_IT_MARK").contains(key)) {
                    continue;
                }
                assertEquals(e.getValue(), seen.get(key), "opsd's " + key);
                compared++;
            }
            assertTrue(compared > 2, "opsd's environment has more than PATH and LANG to compare: " + System.getenv());
        }
    }

    @Test
    void withoutInheritEnvTheAgentKeepsTheCleanEnvironment() throws Exception {
        try (Agents a = new Agents(context, cm, agents)) {
            Map<String, String> seen = environment(runOnce(a, "it-clean", "/usr/bin/env -0",
                Map.of("env", "OPSD_IT_MARK=on-top")));
            seen.keySet().removeAll(SHELL_OWN);
            assertEquals(Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "LANG", "C.UTF-8", "HOME", workDir("it-clean").toString(), "OPSD_AGENT_ID", "it-clean",
                "OPSD_IT_MARK", "on-top"), seen);
        }
    }

    @Test
    void anAgentRunsAsItsUserInAWorkDirectoryItOwns() throws Exception {
        assumeTrue("0".equals(output("/usr/bin/id", "-u")), "only opsd running as root can switch users");
        String nobody = output("/usr/bin/id", "-u", "nobody");
        try (Agents a = new Agents(context, cm, agents)) {
            assertEquals(nobody + " nobody", runOnce(a, "it-user", "echo $(/usr/bin/id -u) $USER",
                Map.of("user", "nobody")).trim());
        }
    }

    @Test
    void aUserThatDoesNotExistIsRejectedAndListedByReady() throws Exception {
        NodeHome home = new NodeHome(context);
        try (Agents a = new Agents(context, cm, agents)) {
            a.shell("it-nouser", "sleep 1000", Map.of("user", "no-such-user-x"));
            Await.until(Agents.LIMIT, () -> ready(home).contains("io.opsd.agent~it-nouser"), () -> ready(home));
            String body = ready(home);
            assertTrue(body.contains("user = \\\"no-such-user-x\\\" is not a user on this host"), body);
            assertFalse(agents.agent("it-nouser").isPresent(), "no process for a refused agent");
        }
    }

    private static String ready(NodeHome home) {
        try {
            return home.get("/ready").body();
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String output(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), String.join(" ", command));
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
