package io.opsd.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.opsd.api.admin.BundleAdministration;
import io.opsd.api.admin.BundleUpload;
import io.opsd.api.admin.BundleView;
import io.opsd.api.admin.Caller;
import io.opsd.api.admin.ComponentView;
import io.opsd.api.admin.ConfigurationAdministration;
import io.opsd.api.admin.ConfigurationChange;
import io.opsd.api.admin.ConfigurationUpdate;
import io.opsd.api.admin.ConfigurationView;
import io.opsd.api.admin.InstallHeader;

class AdminCommandsTest {

    @Test
    void bundlesShowsOriginComponentCountAndTheFirstComponentThatDoesNotRun() {
        BundleAdministration admin = bundles(List.of(
            new BundleView(7, "io.acme.gpio", "1.2.0", "ACTIVE", "admin", "ab",
                List.of(new ComponentView("io.acme.gpio.Collector", "ACTIVE", ""),
                    new ComponentView("io.acme.gpio.Probe", "FAILED_ACTIVATION",
                        "java.lang.IllegalStateException: no /dev/gpiochip0\n\tat x.Y(Y.java:1)"))),
            new BundleView(3, "io.opsd.store", "0.1.0", "ACTIVE", "core", "", List.of())));
        assertEquals("""
            ID  NAME           VERSION  STATE   ORIGIN  COMPONENTS  PROBLEM
            7   io.acme.gpio   1.2.0    ACTIVE  admin   1/2         io.acme.gpio.Probe: FAILED_ACTIVATION (no /dev/gpiochip0)
            3   io.opsd.store  0.1.0    ACTIVE  core    -           -
            """, output(new BundlesCommand(admin), List.of()));
    }

    @Test
    void configListsSourcesAndShowsOnePidsValues() {
        ConfigurationAdministration admin = configurations(List.of(
            new ConfigurationView("io.opsd.collector.cpu", Map.of("interval", "5s", "enabled", "true"), "file+admin",
                List.of()),
            new ConfigurationView("io.opsd.heartbeat", Map.of("token", "***"), "file", List.of())));
        assertEquals("""
            PID                    SOURCE      KEYS
            io.opsd.collector.cpu  file+admin  2
            io.opsd.heartbeat      file        1
            """, output(new ConfigCommand(admin), List.of()));
        assertEquals("""
            io.opsd.heartbeat (file)
            KEY    VALUE
            token  ***
            """, output(new ConfigCommand(admin), List.of("io.opsd.heartbeat")));
        CommandFailure unknown = assertThrows(CommandFailure.class,
            () -> output(new ConfigCommand(admin), List.of("io.opsd.collector")));
        assertEquals("no configuration \"io.opsd.collector\"", unknown.getMessage());
    }

    private static String output(OpsdCommand command, List<String> args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        command.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static BundleAdministration bundles(List<BundleView> views) {
        return new BundleAdministration() {
            @Override
            public List<BundleView> bundles() {
                return views;
            }

            @Override
            public BundleUpload beginInstall(Caller caller, InstallHeader header) {
                throw new UnsupportedOperationException();
            }

            @Override
            public BundleView uninstall(Caller caller, String symbolicName) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private static ConfigurationAdministration configurations(List<ConfigurationView> views) {
        return new ConfigurationAdministration() {
            @Override
            public List<ConfigurationView> configurations(String pidPrefix) {
                return views.stream().filter(v -> v.pid().startsWith(pidPrefix)).toList();
            }

            @Override
            public ConfigurationChange update(Caller caller, ConfigurationUpdate update) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean delete(Caller caller, String pid) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
