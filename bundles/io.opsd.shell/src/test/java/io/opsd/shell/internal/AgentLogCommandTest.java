package io.opsd.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsd.api.agent.AgentManager;
import io.opsd.api.agent.AgentState;
import io.opsd.api.agent.AgentStatus;
import io.opsd.api.store.DesiredState;
import io.opsd.testing.fakes.FakeAgentManager;

class AgentLogCommandTest {

    @TempDir
    Path logs;

    private final AgentManager oneAgent = new FakeAgentManager(status());

    private static AgentStatus status() {
        return new AgentStatus("a1", "custom", "a1", AgentState.RUNNING, DesiredState.RUNNING, 42, Optional.empty(), 0,
            Optional.empty(), "unknown", "", Optional.empty(), Optional.empty(), List.of());
    }

    private String run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new AgentLogCommand(oneAgent, logs).run(List.of(args), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsTheLastLinesWithTheOptionOrTheDefault() throws Exception {
        Files.createDirectories(logs.resolve("a1"));
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 30; i++) {
            text.append("line ").append(i).append('\n');
        }
        Files.writeString(logs.resolve("a1/agent.log"), text);
        assertEquals("line 29\nline 30\n", run("a1", "-n", "2").replace(System.lineSeparator(), "\n"));
        assertEquals("line 30\n", run("-n", "1", "a1").replace(System.lineSeparator(), "\n"));
        assertEquals(20, run("a1").lines().count());
    }

    @Test
    void refusesBadIdsUnknownAgentsAndBadCountsInOneLine() {
        assertEquals("no agent \"nope\"", assertThrows(CommandFailure.class, () -> run("nope")).getMessage());
        assertEquals("invalid agent id \"../etc\": use 1 to 100 ASCII letters, digits, '_', '.' or '-', starting"
            + " with a letter or digit", assertThrows(CommandFailure.class, () -> run("../etc")).getMessage());
        assertEquals("-n 0: give a number of lines from 1 to 10000",
            assertThrows(CommandFailure.class, () -> run("a1", "-n", "0")).getMessage());
        assertEquals("usage: agent-log <id> [-n lines]", assertThrows(CommandFailure.class, () -> run()).getMessage());
        assertEquals("agent a1 has no log yet (" + logs.resolve("a1/agent.log") + ")",
            assertThrows(CommandFailure.class, () -> run("a1")).getMessage());
    }
}
