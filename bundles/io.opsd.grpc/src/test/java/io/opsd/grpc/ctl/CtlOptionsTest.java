package io.opsd.grpc.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CtlOptionsTest {

    private static CtlOptions parse(String... args) {
        return CtlOptions.parse(args, Map.of());
    }

    private static String refused(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> parse(args)).getMessage();
    }

    @Test
    void theAddressIsReadInEveryDaemonctlSpellingAndTargetIsTheSame() {
        for (List<String> line : List.of(List.of("-address", "10.0.0.1:9"), List.of("--address", "10.0.0.1:9"),
            List.of("-address=10.0.0.1:9"), List.of("--address=10.0.0.1:9"), List.of("--target", "10.0.0.1:9"),
            List.of("-target=10.0.0.1:9"))) {
            CtlOptions o = parse(line.toArray(new String[0]));
            assertEquals("10.0.0.1:9", o.target(), line.toString());
        }
        assertEquals("[::1]:9091", parse("-address", "[::1]:9091").target());
    }

    @Test
    void withoutAnAddressTheNodesOwnConfigurationThen127001Port9091() {
        assertEquals("127.0.0.1:9091", parse("list").target());
        assertEquals("127.0.0.1:7000", CtlOptions.parse(new String[] {"list"}, Map.of("target", "127.0.0.1:7000")).target());
        assertEquals("127.0.0.1:1", CtlOptions.parse(new String[] {"-address", "127.0.0.1:1", "list"},
            Map.of("target", "127.0.0.1:7000")).target(), "the command line wins");
    }

    @Test
    void flagsMayComeBeforeOrAfterTheCommand() {
        CtlOptions o = parse("status", "c1", "-timeout", "5s", "--token=t", "-ca", "/ca.pem");
        assertEquals(List.of("status", "c1"), o.words());
        assertEquals(Optional.of(Duration.ofSeconds(5)), o.timeout());
        assertEquals("t", o.token());
        assertEquals("/ca.pem", o.ca());
    }

    @Test
    void theTimeoutIsAGoDurationAndOnlyReplacesTheCommandsOwnWhenGiven() {
        assertEquals(Duration.ofSeconds(30), parse("-timeout", "30s").timeout().orElseThrow());
        assertEquals(Duration.ofMinutes(1), parse("--timeout=1m").timeout().orElseThrow());
        assertEquals(Duration.ofMillis(500), parse("--timeout", "500ms").timeout().orElseThrow());
        assertEquals(Duration.ofSeconds(90), parse("list").deadline(Duration.ofSeconds(90)));
        assertEquals(Duration.ofSeconds(2), parse("-timeout", "2s").deadline(Duration.ofSeconds(90)));
    }

    @Test
    void aWrongLineIsRefusedWithAMessageThatSaysWhatIsExpected() {
        assertEquals("-timeout: \"30\" is not a duration; write it like 30s, 1m, 500ms or 1m30s", refused("-timeout", "30"));
        assertEquals("--timeout: the timeout must be more than 0, not \"0s\"", refused("--timeout=0s"));
        assertEquals("-timeout needs a value", refused("list", "-timeout"));
        assertEquals("-address needs HOST:PORT (like 127.0.0.1:9091), not \"localhost\"", refused("-address", "localhost"));
        assertEquals("--address needs HOST:PORT (like 127.0.0.1:9091), not \"h:70000\"", refused("--address=h:70000"));
        assertEquals("unknown option -verbose", refused("-verbose", "list"));
    }

    @Test
    void helpInEverySpelling() {
        assertTrue(parse("-h").help());
        assertTrue(parse("-help").help());
        assertTrue(parse("--help").help());
        assertFalse(parse("list").help());
    }

    @Test
    void runAnswersAWrongLineWithExitTwoBeforeItDialsAnything() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(2, Ctl.run(new String[] {"-timeout", "soon", "list"}, Map.of(), Map.of(), out, errStream));
        assertEquals("opsd ctl: -timeout: \"soon\" is not a duration; write it like 30s, 1m, 500ms or 1m30s; "
            + "try 'ctl --help'\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theAdminTokenComesFromTheFlagThenTheHomesAdminCfgThenTheEnvironment() {
        Map<String, String> env = Map.of("OPSD_ADMIN_TOKEN", "from-env");
        assertEquals("from-env", CtlOptions.parse(new String[] {"bundles"}, Map.of(), env).adminToken());
        assertEquals("from-cfg", CtlOptions.parse(new String[] {"bundles"}, Map.of("admin_token", "from-cfg"), env)
            .adminToken());
        assertEquals("flag", CtlOptions.parse(new String[] {"bundles", "--admin-token", "flag"},
            Map.of("admin_token", "from-cfg"), env).adminToken());
        assertEquals("flag", parse("-admin-token=flag", "bundles").adminToken());
        assertEquals("", parse("bundles").adminToken());
        assertEquals("", parse("--token", "t", "bundles").adminToken(), "the DaemonService token is not the admin's");
    }

    @Test
    void installTakesASignatureFileAndAnActivationTimeoutInSeconds() {
        CtlOptions o = parse("install", "gpio.jar", "--signature", "gpio.jar.sig", "--timeout-activation", "45");
        assertEquals(List.of("install", "gpio.jar"), o.words());
        assertEquals("gpio.jar.sig", o.signature());
        assertEquals(45, o.activationTimeout());
        assertEquals(0, parse("install", "gpio.jar", "--signature=s").activationTimeout(), "0: the node's default");
        assertEquals("--timeout-activation needs whole seconds from 1 to 600, not \"30s\"",
            refused("install", "x.jar", "--timeout-activation", "30s"));
        assertEquals("--timeout-activation needs whole seconds from 1 to 600, not \"0\"",
            refused("--timeout-activation=0"));
        assertEquals("--signature needs a value", refused("install", "x.jar", "--signature"));
    }

    @Test
    void configSetKeepsKeyValueWordsAndReadsDryRunAnywhere() {
        CtlOptions o = parse("config", "set", "--dry-run", "io.opsd.collector.cpu", "interval=10s", "a.b=c=d");
        assertTrue(o.dryRun());
        assertEquals(List.of("config", "set", "io.opsd.collector.cpu", "interval=10s", "a.b=c=d"), o.words());
        assertFalse(parse("config", "set", "p", "k=v").dryRun());
    }

    @Test
    void nodeAdminCallsCarryTheAdminTokenAndEveryOtherCallTheDaemonToken() {
        BearerTokens tokens = new BearerTokens("daemon", "admin");
        assertEquals("admin", tokens.tokenFor(io.opsd.grpc.admin.NodeAdminGrpc.getListBundlesMethod()));
        assertEquals("admin", tokens.tokenFor(io.opsd.grpc.admin.NodeAdminGrpc.getInstallBundleMethod()));
        assertEquals("daemon", tokens.tokenFor(io.opsd.grpc.daemon.DaemonServiceGrpc.getListAgentsMethod()));
    }

    @Test
    void installRefusesASignatureFileThatIsNotRaw64Bytes() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("ctl");
        java.nio.file.Path jar = java.nio.file.Files.write(dir.resolve("b.jar"), new byte[] {1, 2, 3});
        java.nio.file.Path sig = java.nio.file.Files.writeString(dir.resolve("b.jar.sig"), "not a signature");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        int code = Ctl.run(new String[] {"--address", "127.0.0.1:1", "install", jar.toString(), "--signature",
            sig.toString()}, Map.of(), Map.of(), out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("holds 15 bytes, not a raw 64-byte Ed25519 signature"),
            err.toString(StandardCharsets.UTF_8));
    }
}
