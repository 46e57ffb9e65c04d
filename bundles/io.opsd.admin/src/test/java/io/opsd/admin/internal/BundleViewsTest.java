package io.opsd.admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BundleViewsTest {

    @Test
    void theFailureShownIsTheLastCauseOfScrsTrace() {
        String trace = "java.lang.reflect.InvocationTargetException\n\tat x.y(Z.java:1)\n"
            + "Caused by: java.lang.IllegalStateException: boom\n\tat a.b(C.java:2)\n";
        assertEquals("java.lang.IllegalStateException: boom", BundleViews.rootCause(trace));
        assertEquals("java.lang.IllegalStateException: plain", BundleViews.rootCause(
            "java.lang.IllegalStateException: plain\n\tat a.b(C.java:2)"));
    }
}
