package io.opsd.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorOptionsTest {

    @TempDir
    Path dir;

    @Test
    void withoutFlagsItServesPlaintextOnLoopback9090() {
        SimulatorOptions options = SimulatorOptions.parse().orElseThrow();

        assertEquals("127.0.0.1", options.bind());
        assertEquals(9090, options.port());
        assertEquals(0, options.controlPort());
        assertFalse(options.tls());
        assertNull(options.token());
    }

    @Test
    void everyFlagIsRead() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("key.pem"), "x");
        SimulatorOptions options = SimulatorOptions.parse("--port", "0", "--bind", "::1", "--control-port", "8000",
            "--tls-cert", cert.toString(), "--tls-key", key.toString(), "--client-ca", cert.toString(), "--token", "t",
            "--node-token", "node-token-value", "--node-ca", cert.toString(), "--ports-file", "p.txt").orElseThrow();

        assertEquals(0, options.port());
        assertEquals("::1", options.bind());
        assertEquals(8000, options.controlPort());
        assertTrue(options.tls());
        assertEquals(cert, options.clientCa());
        assertEquals("t", options.token());
        assertEquals("node-token-value", options.nodeToken());
        assertEquals(Path.of("p.txt"), options.portsFile());
        assertFalse(options.toString().contains("node-token-value"), "tokens are redacted: " + options);
    }

    @Test
    void helpAsksForTheUsage() {
        assertTrue(SimulatorOptions.parse("--port", "1", "--help").isEmpty());
    }

    @Test
    void badFlagsAreRejectedWithAMessageNamingThem() {
        assertEquals("unknown option --prot; see --help", message("--prot", "1"));
        assertEquals("--port needs a value; see --help", message("--port"));
        assertEquals("--port 70000 is not a port; give 0-65535", message("--port", "70000"));
        assertEquals("--tls-cert /nonexistent.pem: no such readable file", message("--tls-cert", "/nonexistent.pem"));
        assertTrue(message("--client-ca", "pom.xml").startsWith("--client-ca needs TLS"));
        assertTrue(message("--tls-cert", "pom.xml").startsWith("--tls-cert and --tls-key go together"));
    }

    private static String message(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> SimulatorOptions.parse(args)).getMessage();
    }
}
