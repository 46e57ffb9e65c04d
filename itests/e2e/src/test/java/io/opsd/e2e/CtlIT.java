package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
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

    /** Issue 17: the old daemonctl's flags, commands and columns, against a node on its own port. */
    @Test
    void daemonctlHabitsWorkListStatusAddressAndTimeout() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("ctl-old")) {
            Files.writeString(node.configFile("io.opsd.agent-c1.cfg"), "binary_path = /bin/sh\n"
                + "args = -c \"sleep 100000\"\nhealth.heartbeat_timeout = disabled\n");
            node.start();
            node.awaitReady();
            String address = "127.0.0.1:" + node.grpcPort;
            NodeProcess.await(Duration.ofSeconds(30), () -> list(node, address).contains("running"),
                () -> "c1 never running: " + list(node, address));
            String pid = Pattern.compile("c1 +custom +running +(\\d+)").matcher(list(node, address)).results()
                .findFirst().orElseThrow().group(1);

            Instant beat = Instant.parse("2024-03-01T12:34:56Z");
            HttpResponse<String> accepted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.httpPort + "/heartbeat")).POST(HttpRequest.BodyPublishers.ofString(
                "{\"agent_id\":\"c1\",\"pid\":" + pid + ",\"timestamp\":\"" + beat + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, accepted.statusCode(), accepted.body());
            // the ctl process runs in this JVM's time zone: same environment, same /etc/localtime
            String local = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(beat.atZone(ZoneId.systemDefault()));
            NodeProcess.await(Duration.ofSeconds(10), () -> list(node, address).contains(local),
                () -> "no heartbeat at " + local + " in:\n" + list(node, address));

            String header = "AGENT_ID  TYPE    STATUS   PID" + " ".repeat(Math.max(3, pid.length()) - 3 + 2) + "LAST_HEARTBEAT";
            String row = "c1        custom  running  " + pid + " ".repeat(Math.max(3, pid.length()) - pid.length() + 2) + local;
            NodeProcess.Result list = NodeProcess.run(node.home, "ctl", "-address", address, "list");
            assertEquals(0, list.exitCode(), list.output());
            assertEquals(header + "\n" + row + "\n", list.output());

            NodeProcess.Result status = NodeProcess.run(node.home, "ctl", "--address=" + address, "status", "c1");
            assertEquals(0, status.exitCode(), status.output());
            assertEquals(header + "\n" + row + "\n", status.output());

            NodeProcess.Result unknown = NodeProcess.run(node.home, "ctl", "-address", address, "status", "nosuch");
            assertEquals(1, unknown.exitCode(), unknown.output());
            assertEquals("opsd ctl: agent not found: nosuch\n", unknown.output());

            NodeProcess.Result timed = NodeProcess.run(node.home, "ctl", "-address", address, "-timeout", "5s", "list");
            assertEquals(0, timed.exitCode(), timed.output());
            NodeProcess.Result badTimeout = NodeProcess.run(node.home, "ctl", "-address", address, "-timeout", "30",
                "list");
            assertEquals(2, badTimeout.exitCode(), badTimeout.output());
            assertEquals("opsd ctl: -timeout: \"30\" is not a duration; write it like 30s, 1m, 500ms or 1m30s; "
                + "try 'ctl --help'\n", badTimeout.output());

            NodeProcess.Result unreachable = NodeProcess.run(node.home, "ctl", "-address",
                "127.0.0.1:" + NodeProcess.freePort(), "-timeout", "5s", "list");
            assertEquals(3, unreachable.exitCode(), unreachable.output());
        }
    }

    private static String list(NodeProcess node, String address) {
        try {
            return NodeProcess.run(node.home, "ctl", "-address", address, "list").output();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
