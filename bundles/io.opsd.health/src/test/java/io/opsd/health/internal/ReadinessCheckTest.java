package io.opsd.health.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReadinessCheckTest {

    @Test
    void aFailureIsShownByItsRootCause() {
        String failure = """
            java.lang.reflect.InvocationTargetException
            \tat java.base/jdk.internal.reflect.NativeConstructorAccessorImpl.newInstance0(Native Method)
            Caused by: java.io.UncheckedIOException: cannot open
            \tat x.Y.z(Y.java:1)
            Caused by: java.lang.IllegalStateException: the sensor it reads is missing
            \t... 12 more
            """;
        assertEquals("java.lang.IllegalStateException: the sensor it reads is missing",
            ReadinessCheck.rootCause(failure));
        assertEquals("java.lang.IllegalStateException: plain", ReadinessCheck.rootCause(
            "java.lang.IllegalStateException: plain\n\tat x.Y.z(Y.java:1)\n"));
        assertEquals("", ReadinessCheck.rootCause(""));
    }
}
