package io.opsd.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

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
}
