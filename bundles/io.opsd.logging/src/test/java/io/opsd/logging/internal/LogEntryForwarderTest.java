package io.opsd.logging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;

import org.junit.jupiter.api.Test;

import io.opsd.api.config.InvalidConfigurationException;

class LogEntryForwarderTest {

    @Test
    void aRefusalIsFoundBehindTheReflectionWrapper() {
        Throwable scr = new InvocationTargetException(new InvalidConfigurationException("io.opsd.manager: bad key"));
        assertEquals("io.opsd.manager: bad key", LogEntryForwarder.refusal(scr));
    }

    @Test
    void aRefusalKeptByFelixLogOnlyAsTextIsFoundByItsClassName() {
        // Felix Log replaces a bundle's exception by one carrying "<class name>: <message>"
        Throwable kept = new Exception(InvalidConfigurationException.class.getName() + ": io.opsd.grpc.server: bad");
        assertEquals("io.opsd.grpc.server: bad", LogEntryForwarder.refusal(new Exception("wrapper", kept)));
    }

    @Test
    void theFrameworksReportOfAServiceThatCouldNotBeGotIsOneLine() {
        Throwable kept = new Exception("org.osgi.framework.ServiceException: Service factory returned null. "
            + "(Component: io.opsd.manager.internal.ManagerLink (34))");
        assertEquals("Service factory returned null. (Component: io.opsd.manager.internal.ManagerLink (34))",
            LogEntryForwarder.reasonWithoutTrace(kept));
    }

    @Test
    void anyOtherErrorKeepsItsStackTrace() {
        assertNull(LogEntryForwarder.reasonWithoutTrace(new IOException("disk full")));
        assertNull(LogEntryForwarder.reasonWithoutTrace(new IllegalStateException("bug", new NullPointerException())));
        assertNull(LogEntryForwarder.reasonWithoutTrace(null));
    }
}
