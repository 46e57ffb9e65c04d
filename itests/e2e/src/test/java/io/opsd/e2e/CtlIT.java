package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** {@code java -jar opsd.jar ctl ...} against a running node, as an operator on the gateway would use it. */
class CtlIT {

    @Test
    void ctlListsOperatesAndReportsWithClearExitCodes() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("ctl")) {
            Files.writeString(node.configFile("io.opsd.agent-c1.cfg"), "binary_path = /bin/sh\n"
                + "args = -c \"sleep 100000\"\nhealth.heartbeat_timeout = disabled\nversion = 1.2.3\n");
            node.start();
            node.awaitReady();
            String home = node.home.toString();
            NodeProcess.await(Duration.ofSeconds(30), () -> {
                try {
                    return NodeProcess.run(node.home, "ctl", "--home", home, "agents").output().contains("running");
                } catch (Exception e) {
                    return false;
                }
            }, () -> "c1 never running");

            NodeProcess.Result agents = NodeProcess.run(node.home, "ctl", "--home", home, "agents");
            assertEquals(0, agents.exitCode(), agents.output());
            List<String> lines = agents.output().lines().toList();
            assertEquals("ID  TYPE    VERSION  STATUS   PID", lines.get(0).substring(0, 33).stripTrailing(),
                agents.output());
            Matcher row = Pattern.compile("c1  custom  1\\.2\\.3    running  (\\d+) +0 +\\S+Z +-").matcher(lines.get(1));
            assertTrue(row.matches(), "'" + lines.get(1) + "'");
            long pid = Long.parseLong(row.group(1));

            NodeProcess.Result restart = NodeProcess.run(node.home, "ctl", "--home", home, "restart", "c1");
            assertEquals(0, restart.exitCode(), restart.output());
            Matcher answered = Pattern.compile("agent c1: running \\(pid (\\d+)\\)").matcher(restart.output().trim());
            assertTrue(answered.matches(), restart.output());
            assertNotEquals(pid, Long.parseLong(answered.group(1)), "a new process");

            NodeProcess.Result unknown = NodeProcess.run(node.home, "ctl", "--home", home, "stop", "nope");
            assertEquals(1, unknown.exitCode());
            assertEquals("opsd ctl: NOT_FOUND: agent not found: nope", unknown.output().trim());

            NodeProcess.Result status = NodeProcess.run(node.home, "ctl", "--home", home, "status");
            assertEquals(0, status.exitCode(), status.output());
            assertEquals("DaemonService: SERVING\nagents: 1 {running=1}", status.output().trim());

            NodeProcess.Result usage = NodeProcess.run(node.home, "ctl", "--home", home, "jump");
            assertEquals(2, usage.exitCode());
            assertTrue(usage.output().contains("unknown command jump"), usage.output());

            NodeProcess.Result unreachable = NodeProcess.run(node.home, "ctl", "--target",
                "127.0.0.1:" + NodeProcess.freePort(), "agents");
            assertEquals(3, unreachable.exitCode(), unreachable.output());
            assertTrue(unreachable.output().startsWith("opsd ctl: UNAVAILABLE"), unreachable.output());
            assertTrue(!unreachable.output().contains("Exception"), "one clear line: " + unreachable.output());
        }
    }
}
