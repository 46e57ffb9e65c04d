package io.opsd.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The operator's path of docs/node-admin.md, end to end: {@code dist/sign-bundle} makes an Ed25519 key pair and
 * signs the example collector with openssl, the node trusts the public key, and {@code ctl} installs, configures
 * and uninstalls through NodeAdmin with the admin token it reads from the home's io.opsd.admin.cfg.
 */
class CtlAdminIT {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void signBundleAndCtlInstallConfigureAndUninstall() throws Exception {
        try (NodeProcess node = NodeProcess.newHome("ctl-admin")) {
            Path keys = node.home.resolve("keys");
            run(node.home, System.getProperty("opsd.sign-bundle"), "keygen", keys.toString());
            Path jar = node.home.resolve("io.opsd.example.filehandles.jar");
            Files.copy(Path.of(System.getProperty("opsd.example.filehandles")), jar, StandardCopyOption.REPLACE_EXISTING);
            run(node.home, System.getProperty("opsd.sign-bundle"), "sign", jar.toString(),
                keys.resolve("opsd-admin.key").toString());
            assertEquals(64, Files.size(Path.of(jar + ".sig")), "a raw Ed25519 signature");
            Files.writeString(node.configFile("io.opsd.admin.cfg"), "admin_token = ctl-admin-token\ntrusted_keys = "
                + keys.resolve("opsd-admin.pub") + "\n");
            node.start();
            node.awaitReady();

            NodeProcess.Result install = ctl(node, "install", jar.toString(), "--signature", jar + ".sig");
            assertEquals(0, install.exitCode(), install.output());
            assertTrue(install.output().contains("io.opsd.example.filehandles"), install.output());
            NodeProcess.await(LIMIT, () -> node.bodyOrError("/metrics").contains("opsd_filehandles_"),
                () -> "the example does not publish");
            NodeProcess.Result bundles = ctl(node, "bundles");
            assertTrue(bundles.output().lines().anyMatch(l -> l.contains("io.opsd.example.filehandles")
                && l.contains(" admin ")), bundles.output());

            NodeProcess.Result tampered = ctl(node, "install", node.configFile("io.opsd.node.cfg").toString(),
                "--signature", jar + ".sig");
            assertEquals(1, tampered.exitCode(), tampered.output());
            assertTrue(tampered.output().contains("PERMISSION_DENIED") || tampered.output().contains("INVALID_ARGUMENT"),
                tampered.output());

            NodeProcess.Result set = ctl(node, "config", "set", "io.opsd.collector.cpu", "interval=7s");
            assertEquals(0, set.exitCode(), set.output());
            NodeProcess.Result shown = ctl(node, "config", "io.opsd.collector.cpu");
            assertTrue(shown.output().contains("file+admin") && shown.output().contains("7s"), shown.output());
            NodeProcess.Result invalid = ctl(node, "config", "set", "io.opsd.collector.cpu", "interval=soon");
            assertEquals(1, invalid.exitCode(), invalid.output());
            assertTrue(invalid.output().contains("interval"), invalid.output());
            NodeProcess.Result unset = ctl(node, "config", "unset", "io.opsd.collector.cpu", "interval");
            assertEquals(0, unset.exitCode(), unset.output());
            NodeProcess.Result deleted = ctl(node, "config", "delete", "io.opsd.collector.cpu");
            assertEquals(0, deleted.exitCode(), deleted.output());

            NodeProcess.Result uninstall = ctl(node, "uninstall", "io.opsd.example.filehandles");
            assertEquals(0, uninstall.exitCode(), uninstall.output());
            NodeProcess.await(LIMIT, () -> !node.bodyOrError("/metrics").contains("opsd_filehandles_"),
                () -> "the example still publishes after its uninstall");
        }
    }

    private static NodeProcess.Result ctl(NodeProcess node, String... words) throws Exception {
        String[] args = new String[words.length + 3];
        args[0] = "ctl";
        args[1] = "--home";
        args[2] = node.home.toString();
        System.arraycopy(words, 0, args, 3, words.length);
        return NodeProcess.run(node.home, args);
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "did not finish: " + String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + output);
    }
}
