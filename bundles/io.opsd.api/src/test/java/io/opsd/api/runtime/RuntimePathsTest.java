package io.opsd.api.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

class RuntimePathsTest {

    @TempDir
    Path storage;

    @Test
    void theLauncherPropertiesComeFirst() {
        BundleContext agent = context("bundle7", Map.of("opsd.data.dir", "/d", "opsd.log.dir", "/l",
            "karaf.data", "/kd", "karaf.log", "/kl"));
        assertEquals(Path.of("/d"), RuntimePaths.dataDir(agent));
        assertEquals(Path.of("/l"), RuntimePaths.logDir(agent));
    }

    @Test
    void onKarafStateAndLogsGoUnderKarafsFolders() {
        BundleContext agent = context("bundle7", Map.of("karaf.data", "/k/data", "karaf.log", "/k/data/log"));
        assertEquals(Path.of("/k/data/opsd"), RuntimePaths.dataDir(agent));
        assertEquals(Path.of("/k/data/log/opsd"), RuntimePaths.logDir(agent));
    }

    @Test
    void logsFollowTheDataDirectoryWhenOnlyItIsSet() {
        assertEquals(Path.of("/d/logs"), RuntimePaths.logDir(context("bundle7", Map.of("opsd.data.dir", "/d"))));
    }

    @Test
    void withoutPropertiesEveryBundleUsesOnePlace() {
        // the agent bundle writes an agent's log where the shell bundle's opsd:agent-log reads it
        BundleContext agent = context("bundle7", Map.of());
        BundleContext shell = context("bundle9", Map.of());
        Path shared = storage.resolve("bundle0").resolve("opsd");
        assertEquals(shared, RuntimePaths.dataDir(agent));
        assertEquals(shared, RuntimePaths.dataDir(shell));
        assertEquals(shared.resolve("logs"), RuntimePaths.logDir(agent));
        assertEquals(RuntimePaths.logDir(agent), RuntimePaths.logDir(shell));
    }

    /** A bundle's context in a framework storing bundle data under storage/bundleN, with these properties. */
    private BundleContext context(String bundle, Map<String, String> properties) {
        BundleContext system = bundleContext("bundle0", properties, null);
        Bundle systemBundle = (Bundle) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Bundle.class},
            (proxy, method, args) -> method.getName().equals("getBundleContext") ? system : null);
        return bundleContext(bundle, properties, systemBundle);
    }

    private BundleContext bundleContext(String bundle, Map<String, String> properties, Bundle systemBundle) {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
            (proxy, method, args) -> switch (method.getName()) {
                case "getProperty" -> properties.get((String) args[0]);
                case "getDataFile" -> new File(storage.resolve(bundle).toFile(), (String) args[0]);
                case "getBundle" -> args != null && args.length == 1 && args[0].equals(0L) ? systemBundle : null;
                default -> throw new UnsupportedOperationException(method.getName());
            });
    }
}
