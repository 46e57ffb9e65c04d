package io.opsd.grpc.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeDefaultsTest {

    @TempDir
    Path dir;

    private NodeDefaults read(Map<String, String> env, Map<String, String> properties) {
        return NodeDefaults.read(dir, env, properties);
    }

    private void server(String cfg) throws IOException {
        Files.writeString(dir.resolve("io.opsd.grpc.server.cfg"), cfg);
    }

    private static String value(NodeDefaults d, String key) {
        return d.value(key, true).orElse("<none>");
    }

    /** Target, token, CA and admin token, in that order. */
    private static List<String> all(NodeDefaults d) {
        return Stream.of(NodeDefaults.TARGET, NodeDefaults.TOKEN, NodeDefaults.CA, NodeDefaults.ADMIN_TOKEN)
            .map(k -> value(d, k)).toList();
    }

    @Test
    void theServerFileGivesAddressTokenAndItsCertificateAsCa() throws IOException {
        server("bind = 0.0.0.0\nport = 7000\ntoken = t0k\ntls.cert_file = /etc/opsd/node.pem\n"
            + "tls.key_file = /etc/opsd/node.key\n");
        Files.writeString(dir.resolve("io.opsd.admin.cfg"), "admin_token = adm\n");
        assertEquals(List.of("127.0.0.1:7000", "t0k", "/etc/opsd/node.pem", "adm"), all(read(Map.of(), Map.of())));
    }

    @Test
    void keysLeftOutKeepTheNodesDefaultsAndMissingFilesGiveNothing() throws IOException {
        assertEquals("<none>", value(read(Map.of(), Map.of()), NodeDefaults.TARGET));
        server("#bind = 127.0.0.1\nbind = ::1\n");
        assertEquals(List.of("[::1]:9091", "<none>", "<none>", "<none>"), all(read(Map.of(), Map.of())));
    }

    @Test
    void referencesAreSubstitutedAsFileInstallDoes() throws IOException {
        server("port = ${grpc.port}\ntoken = ${env:OPSD_TOKEN}\ntls.cert_file = ${opsd.config.dir}/node.pem\n");
        Files.writeString(dir.resolve("io.opsd.admin.cfg"), "admin_token = ${env:UNSET:-fallback}-x\n");
        assertEquals(List.of("127.0.0.1:7001", "from-env", dir + "/node.pem", "fallback-x"),
            all(read(Map.of("OPSD_TOKEN", "from-env"), Map.of("grpc.port", "7001"))));
    }

    @Test
    void anUnsetVariableIsAProblemNamingFileKeyAndFlag() throws IOException {
        server("token = ${env:OPSD_TOKEN}\n");
        NodeDefaults d = read(Map.of(), Map.of());
        String message = assertThrows(IllegalStateException.class, () -> d.value(NodeDefaults.TOKEN, true))
            .getMessage();
        assertEquals(dir.resolve("io.opsd.grpc.server.cfg") + ": token = ${env:OPSD_TOKEN} cannot be substituted by"
            + " ctl: the environment variable OPSD_TOKEN is not set in this shell; give --token", message);
        assertEquals(Optional.empty(), d.value(NodeDefaults.TOKEN, false), "a default no command needs is no error");
        assertEquals("127.0.0.1:9091", value(d, NodeDefaults.TARGET), "other keys are still read");
    }

    @Test
    void aBracketReferenceIsNeverDroppedSilently() throws IOException {
        server("tls.cert_file = $[prop:cert]\n");
        Files.writeString(dir.resolve("io.opsd.admin.cfg"), "admin_token = $[secret:admin]\n");
        NodeDefaults d = read(Map.of(), Map.of("cert", "/x.pem"));
        String ca = assertThrows(IllegalStateException.class, () -> d.value(NodeDefaults.CA, true)).getMessage();
        assertTrue(ca.startsWith(dir.resolve("io.opsd.grpc.server.cfg") + ": tls.cert_file = $[prop:cert] is not"
            + " substituted by ctl"), ca);
        assertTrue(ca.endsWith("; give --ca"), ca);
        String admin = assertThrows(IllegalStateException.class, () -> d.value(NodeDefaults.ADMIN_TOKEN, true))
            .getMessage();
        assertTrue(admin.contains("io.opsd.admin.cfg: admin_token = $[secret:admin] ") && admin.endsWith(
            "give --admin-token"), admin);
    }

    @Test
    void anUnreadableFileIsAProblemForEveryValueItGives() throws IOException {
        server("token = \\uZZZZ\n");
        NodeDefaults d = read(Map.of(), Map.of());
        for (String key : new String[] {NodeDefaults.TARGET, NodeDefaults.TOKEN, NodeDefaults.CA}) {
            String message = assertThrows(IllegalStateException.class, () -> d.value(key, true)).getMessage();
            assertTrue(message.startsWith("cannot read " + dir.resolve("io.opsd.grpc.server.cfg")), message);
        }
    }

    @Test
    void theCommandLineDecidesWhichProblemsMatter() throws IOException {
        server("token = $[env:T]\n");
        Files.writeString(dir.resolve("io.opsd.admin.cfg"), "admin_token = $[env:A]\n");
        Map<String, String> none = Map.of();

        assertThrows(IllegalStateException.class, () -> parse(none, "list"));
        assertEquals("given", parse(none, "list", "--token", "given").token());
        assertEquals("", parse(none, "bundles", "--admin-token", "a").token(), "NodeAdmin calls carry no token");
        assertThrows(IllegalStateException.class, () -> parse(none, "bundles"));
        assertEquals("from-env", parse(Map.of("OPSD_ADMIN_TOKEN", "from-env"), "bundles").adminToken());
        assertEquals("", parse(none, "list", "--token", "t").adminToken());
        assertTrue(parse(none, "--help").help());
    }

    private CtlOptions parse(Map<String, String> env, String... args) {
        String[] line = new String[args.length + 2];
        line[0] = "--config-dir";
        line[1] = dir.toString();
        System.arraycopy(args, 0, line, 2, args.length);
        return CtlOptions.parse(line, configDir -> NodeDefaults.read(configDir.orElseThrow(), env, Map.of()), env);
    }
}
