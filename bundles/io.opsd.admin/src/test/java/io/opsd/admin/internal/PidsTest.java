package io.opsd.admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.opsd.api.admin.AdminException;

class PidsTest {

    @Test
    void aFactoryConfigurationIsNamedAsFileInstallNamesIt() throws AdminException {
        Pids.Pid agent = Pids.parse("io.opsd.agent-web1");
        assertEquals("io.opsd.agent~web1", agent.caPid());
        assertEquals(Optional.of("io.opsd.agent"), agent.factoryPid());
        assertEquals("io.opsd.agent", agent.typePid());
        assertEquals("io.opsd.agent-web1", Pids.nameOf("io.opsd.agent~web1"));

        Pids.Pid cpu = Pids.parse("io.opsd.collector.cpu");
        assertFalse(cpu.isFactory());
        assertEquals("io.opsd.collector.cpu", cpu.caPid());
    }

    @Test
    void malformedPidsAreInvalidArguments() {
        for (String bad : new String[] {"", "../etc/passwd", "a b", "-x", "io.opsd.agent-", "x".repeat(201),
            "io.opsd.agent-.hidden", "a/b"}) {
            AdminException e = assertThrows(AdminException.class, () -> Pids.parse(bad), bad);
            assertEquals(AdminException.Code.INVALID_ARGUMENT, e.code());
        }
    }
}
