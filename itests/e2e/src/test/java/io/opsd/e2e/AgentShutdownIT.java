package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * opsd's SIGTERM stops all its agents together: 50 agents that each take 3 s to honour SIGTERM, with a stop timeout
 * of 5 s, are all signalled at once, all exit cleanly (none is SIGKILLed), and opsd exits within 8 s, far inside
 * systemd's TimeoutStopSec (one after another they would take 150 s). An agent with keep_running_on_exit = true is
 * left running.
 */
class AgentShutdownIT {

    private static final int AGENTS = 50;
    private static final Duration STOP_BUDGET = Duration.ofSeconds(8);
    private static final Duration START_LIMIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The agent: marks that it started (its trap is set by then), then sleeps in the background and waits, so that
     * SIGTERM (which the sleep in its process group gets too) interrupts the wait at once; the trap marks the
     * signal, takes 3 s, marks the clean exit and exits 0.
     */
    private static final String AGENT_SCRIPT = """
        #!/bin/sh
        mark=$1
        trap 'touch "$mark.term"; sleep 3; touch "$mark.clean"; exit 0' TERM
        touch "$mark.started"
        while :; do
            sleep 1 &
            wait $!
        done
        """;

    @TempDir
    Path markers;

    @Test
    void sigtermStopsFiftySlowAgentsTogetherWithinEightSeconds() throws Exception {
        Path script = markers.resolve("agent.sh");
        Files.writeString(script, AGENT_SCRIPT);
        try (NodeProcess node = NodeProcess.newHome("shutdown")) {
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= AGENTS; i++) {
                String id = String.format("slow%02d", i);
                ids.add(id);
                agent(node, id, script, "");
            }
            agent(node, "keeper", script, "keep_running_on_exit = true\n");
            long keeper = 0;
            try {
                node.start();
                node.awaitReady();
                NodeProcess.await(START_LIMIT, () -> notYetStarted(node, ids).isEmpty(),
                    () -> "not running yet: " + notYetStarted(node, ids));
                NodeProcess.await(START_LIMIT, () -> pid(node, "keeper") > 0
                    && Files.exists(markers.resolve("keeper.started")), () -> "keeper not running");
                keeper = pid(node, "keeper");
                assertEquals(AGENTS, processesOf(node, ids).values().stream().distinct().count(),
                    "every agent has its process");

                long signalled = System.nanoTime();
                node.process().destroy(); // SIGTERM
                assertTrue(node.process().waitFor(60, TimeUnit.SECONDS), "opsd did not exit within 60 s");
                long stoppedMillis = Duration.ofNanos(System.nanoTime() - signalled).toMillis();
                System.out.printf("opsd stopped %d agents in %d ms%n", AGENTS, stoppedMillis);
                printSpread("got SIGTERM", ids, ".term");
                printSpread("exited cleanly", ids, ".clean");

                Map<Long, String> left = processesOf(node, ids);
                List<String> noTerm = new ArrayList<>();
                List<String> notClean = new ArrayList<>();
                for (String id : ids) {
                    if (!Files.exists(markers.resolve(id + ".term"))) {
                        noTerm.add(id);
                    }
                    if (!Files.exists(markers.resolve(id + ".clean"))) {
                        notClean.add(id);
                    }
                }
                assertEquals(0, node.process().exitValue(), node.output());
                assertEquals(List.of(), noTerm, "agents that never got SIGTERM");
                assertEquals(List.of(), notClean, "agents that did not exit cleanly (SIGKILLed?)");
                assertEquals(Map.of(), left, "agent processes left after opsd exited (pid -> agent)");
                assertTrue(stoppedMillis <= STOP_BUDGET.toMillis(), "opsd took " + stoppedMillis + " ms to stop "
                    + AGENTS + " agents; the budget is " + STOP_BUDGET.toMillis() + " ms\n" + node.output());
                assertTrue(LiveProcesses.alive(keeper), "keep_running_on_exit: the agent survives opsd");
                assertTrue(!Files.exists(markers.resolve("keeper.term")), "the agent that outlives opsd got SIGTERM");
                assertTrue(node.output().contains("agent keeper keeps running"), node.output());
            } finally {
                node.close();
                if (keeper > 0) {
                    ProcessHandle.of(keeper).ifPresent(p -> {
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                    });
                }
            }
        }
    }

    /** When the agents' markers were written, from the first to the last: how close together they were. */
    private void printSpread(String what, List<String> ids, String suffix) throws IOException {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (String id : ids) {
            Path marker = markers.resolve(id + suffix);
            if (Files.exists(marker)) {
                long t = Files.getLastModifiedTime(marker).toMillis();
                first = Math.min(first, t);
                last = Math.max(last, t);
            }
        }
        if (first <= last) {
            System.out.printf("the agents %s within %d ms of each other%n", what, last - first);
        }
    }

    private void agent(NodeProcess node, String id, Path script, String more) throws IOException {
        Files.writeString(node.configFile("io.opsd.agent-" + id + ".cfg"), "type = custom\nbinary_path = /bin/sh\n"
            + "args = " + script + " " + markers.resolve(id) + "\nhealth.heartbeat_timeout = disabled\n"
            + "stop.timeout = 5s\n" + more);
    }

    private List<String> notYetStarted(NodeProcess node, List<String> ids) {
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            if (pid(node, id) <= 0 || !Files.exists(markers.resolve(id + ".started"))) {
                out.add(id);
            }
        }
        return out;
    }

    /** The agent's pid while its state file says it runs; 0 otherwise. */
    private static long pid(NodeProcess node, String id) {
        try {
            var state = JSON.readTree(Files.readString(node.dataFile("agents/" + id + ".json")));
            return "running".equals(state.path("status").asText()) ? state.path("pid").asLong() : 0;
        } catch (IOException e) {
            return 0; // not written yet
        }
    }

    /**
     * Every process (pid to agent id) that carries one of these agents' ids and this node's work directory in its
     * environment, the agent's children included: opsd puts OPSD_AGENT_ID and HOME there.
     */
    private static Map<Long, String> processesOf(NodeProcess node, List<String> ids) {
        Map<Long, String> out = new TreeMap<>();
        String home = "HOME=" + node.home;
        for (LiveProcesses.Proc p : LiveProcesses.all()) {
            if (p.zombie()) {
                continue;
            }
            List<String> env = p.environment();
            for (String id : ids) {
                if (env.contains("OPSD_AGENT_ID=" + id) && env.stream().anyMatch(e -> e.startsWith(home))) {
                    out.put(p.pid(), id);
                }
            }
        }
        return out;
    }
}
