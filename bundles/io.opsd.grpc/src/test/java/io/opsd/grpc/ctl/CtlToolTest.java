package io.opsd.grpc.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ServiceLoader;
import java.util.spi.ToolProvider;

import org.junit.jupiter.api.Test;

class CtlToolTest {

    @Test
    void theLauncherFindsCtlAsAToolProviderByName() {
        ToolProvider ctl = ServiceLoader.load(ToolProvider.class, getClass().getClassLoader()).stream()
            .map(ServiceLoader.Provider::get).filter(t -> t.name().equals("opsd-ctl")).findFirst().orElseThrow();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, ctl.run(new PrintWriter(out), new PrintWriter(err), "--help"));
        assertEquals(Ctl.HELP, out.toString());
        assertEquals(2, ctl.run(new PrintWriter(out), new PrintWriter(err), "--no-such-flag", "list"));
        assertTrue(err.toString().startsWith("opsd ctl: unknown option --no-such-flag"), err.toString());
    }
}
