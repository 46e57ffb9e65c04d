package io.opsd.admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void secretsAreMaskedAndPathsAreNot() {
        Map<String, String> masked = Secrets.masked(Map.of("token", "t0p", "admin_token", "x", "db.password", "p",
            "private_key", "k", "key", "k", "tls.key_file", "/etc/opsd/key.pem", "interval", "5s",
            "url", "https://u:$[secret:pw]@h", "pin", "1234"), Set.of("pin"));
        assertEquals(Map.of("token", "***", "admin_token", "***", "db.password", "***", "private_key", "***",
            "key", "***", "tls.key_file", "/etc/opsd/key.pem", "interval", "5s", "url", "***", "pin", "***"),
            masked);
    }
}
