package io.opsd.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.opsd.health.ReadinessProblem;
import io.opsd.health.ReadinessReport;

class StatusCommandTest {

    @Test
    void theReasonOfAFailedActivationIsTheMessageOfTheDeepestCause() {
        String failure = """
            java.lang.reflect.InvocationTargetException
            \tat java.base/jdk.internal.reflect.NativeConstructorAccessorImpl.newInstance0(Native Method)
            Caused by: io.opsd.api.config.InvalidConfigurationException: io.opsd.agent~x: binary_path = "sh" must be \
            absolute
            \tat io.opsd.agent.internal.AgentSpec.of(AgentSpec.java:10)
            """;
        assertEquals("io.opsd.agent~x: binary_path = \"sh\" must be absolute", StatusCommand.reason(failure));
    }

    @Test
    void aFailureWithoutCauseOrMessageIsShownAsItIs() {
        assertEquals("port 8080 in use", StatusCommand.reason("java.lang.IllegalStateException: port 8080 in use\n"
            + "\tat x.Y.z(Y.java:1)"));
        assertEquals("java.lang.NullPointerException", StatusCommand.reason("java.lang.NullPointerException\n"));
        assertEquals("", StatusCommand.reason(null));
    }

    @Test
    void theStatusShowsTheReadinessReadingRowByRowWithWhatMakesTheNodeUnreadyFirst() {
        ReadinessReport report = new ReadinessReport(40, 12,
            List.of(new ReadinessProblem("system.bundle", "", "", "starting", "framework at start level 5 of 6"),
                new ReadinessProblem("io.opsd.x", "io.opsd.x.internal.X", "", "failed activation",
                    "java.lang.IllegalStateException: the sensor is missing")),
            List.of(new ReadinessProblem("io.opsd.agent", "io.opsd.agent.internal.AgentSupervisor",
                "io.opsd.agent~a", "failed activation", "io.opsd.api.config.InvalidConfigurationException: bad")));
        assertEquals(List.of(
            "node id     - (no NodeIdentity service: io.opsd.node)",
            "hostname    -",
            "address     -",
            "version     -",
            "components  12 (3 not active)",
            "ready       no (2 not ready, 1 rejected)",
            "COMPONENT                                                 STATE              READINESS  WHY",
            "system.bundle                                             starting           not ready  framework at start"
                + " level 5 of 6",
            "io.opsd.x.internal.X                                      failed activation  not ready  the sensor is"
                + " missing",
            "io.opsd.agent.internal.AgentSupervisor (io.opsd.agent~a)  failed activation  rejected   bad"),
            status(new StatusCommand(null, () -> report)));
    }

    @Test
    void aReadyNodeSaysSoAndWithoutTheReadinessServiceTheStatusSaysWhatIsMissing() {
        ReadinessReport ready = new ReadinessReport(40, 12, List.of(), List.of());
        assertEquals(List.of("components  12 (all active)", "ready       yes"),
            status(new StatusCommand(null, () -> ready)).subList(4, 6));
        assertEquals(List.of("components  -", "ready       - (no Readiness service: io.opsd.health)"),
            status(new StatusCommand(null, null)).subList(4, 6));
        assertEquals("yes (1 rejected)", StatusCommand.verdict(new ReadinessReport(1, 1, List.of(),
            List.of(new ReadinessProblem("b", "c", "", "disabled", "component is disabled")))));
    }

    private static List<String> status(StatusCommand command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        command.run(List.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
