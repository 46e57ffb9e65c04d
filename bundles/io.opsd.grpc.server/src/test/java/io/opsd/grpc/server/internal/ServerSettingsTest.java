package io.opsd.grpc.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

import io.opsd.api.config.InvalidConfigurationException;

class ServerSettingsTest {

    @TempDir
    Path dir;

    private static ServerSettings settings(Map<String, Object> values) {
        Map<String, Object> props = new HashMap<>(values);
        props.put("service.pid", "io.opsd.grpc.server");
        props.put("felix.fileinstall.filename", "file:/opt/opsd/runtime-config/io.opsd.grpc.server.cfg");
        GrpcServerConfig config = Converters.standardConverter().convert(props).to(GrpcServerConfig.class);
        return ServerSettings.of(config, props);
    }

    @Test
    void theDefaultsListenOnLoopbackPort9091InPlaintext() {
        ServerSettings s = settings(Map.of());
        assertTrue(s.enabled());
        assertEquals("127.0.0.1", s.address().getAddress().getHostAddress());
        assertEquals(9091, s.address().getPort());
        assertTrue(s.tls().isEmpty());
        assertEquals("127.0.0.1:9091 (plaintext, no token)", s.describe());
    }

    @Test
    void aNonLoopbackAddressWithoutTlsOrTokenIsRefusedUnlessAllowedInsecure() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
            () -> settings(Map.of("bind", "0.0.0.0")));
        assertTrue(e.getMessage().startsWith("io.opsd.grpc.server (/opt/opsd/runtime-config/io.opsd.grpc.server.cfg)"
            + ": bind = \"0.0.0.0\" is not a loopback address"), e.getMessage());
        assertTrue(e.getMessage().contains("allow_insecure = true"), e.getMessage());
        assertEquals("0.0.0.0", settings(Map.of("bind", "0.0.0.0", "token", "s3cret")).address().getAddress()
            .getHostAddress());
        assertTrue(settings(Map.of("bind", "0.0.0.0", "allow_insecure", "true")).allowInsecure());
    }

    @Test
    void incompleteOrMissingTlsFilesAreRefusedNamingTheKey() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        assertMessage("tls.key_file = \"\" is empty while tls.cert_file is set",
            Map.of("tls.cert_file", cert.toString()));
        assertMessage("tls.cert_file = \"\" is empty while tls.key_file is set",
            Map.of("tls.key_file", cert.toString()));
        assertMessage("tls.key_file = \"" + dir.resolve("nope.pem") + "\" is not a readable file",
            Map.of("tls.cert_file", cert.toString(), "tls.key_file", dir.resolve("nope.pem").toString()));
        assertMessage("tls.cert_file = \"cert.pem\" is not an absolute path",
            Map.of("tls.cert_file", "cert.pem", "tls.key_file", cert.toString()));
        assertMessage("tls.client_ca_file = \"" + cert + "\" needs tls.cert_file and tls.key_file too",
            Map.of("tls.client_ca_file", cert.toString()));
        ServerSettings tls = settings(Map.of("tls.cert_file", cert.toString(), "tls.key_file", cert.toString(),
            "tls.client_ca_file", cert.toString(), "token", "s3cret"));
        assertEquals("127.0.0.1:9091 (mutual TLS, bearer token)", tls.describe());
        assertFalse(tls.toString().contains("s3cret"), "the token is never shown");
    }

    @Test
    void outOfRangeValuesAreRefused() {
        assertMessage("port = \"0\" is out of range; use 1 to 65535", Map.of("port", "0"));
        assertMessage("port = \"70000\" is out of range", Map.of("port", "70000"));
        assertMessage("bind = \"no-such-host.invalid\" is not an address of this host",
            Map.of("bind", "no-such-host.invalid"));
        assertMessage("shutdown_grace = \"10m\" is out of range", Map.of("shutdown_grace", "10m"));
        assertMessage("shutdown_grace = \"soon\"", Map.of("shutdown_grace", "soon"));
    }

    private static void assertMessage(String part, Map<String, Object> values) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> settings(values));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
