package io.opsd.itests;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.opsd.testing.Await;

@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class LoggingIT {

    private static final Duration LIMIT = Duration.ofSeconds(20);

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    LoggerFactory osgiLoggers;

    @Test
    void aLevelEditedInTheLogAdminFileAppliesAtRunTime() throws Exception {
        NodeHome home = new NodeHome(context);
        Path cfg = home.configDir().resolve("org.osgi.service.log.admin.cfg");
        String original = Files.readString(cfg, StandardCharsets.UTF_8);
        org.slf4j.Logger probe = org.slf4j.LoggerFactory.getLogger("io.opsd.itests.probe");
        assertFalse(probe.isDebugEnabled(), "INFO by default");
        try {
            NodeHome.writeAtomically(cfg, original + "\nio.opsd.itests.probe = DEBUG\n");
            Await.until(LIMIT, probe::isDebugEnabled, () -> "io.opsd.itests.probe is still above DEBUG");
        } finally {
            NodeHome.writeAtomically(cfg, original);
        }
        Await.until(LIMIT, () -> !probe.isDebugEnabled(), () -> "io.opsd.itests.probe kept DEBUG after the key went");
    }

    @Test
    void osgiLogRecordsReachTheNodeLog() {
        String marker = "r7-record-" + UUID.randomUUID();
        Logger logger = osgiLoggers.getLogger(context.getBundle(), "io.opsd.itests.r7", Logger.class);
        logger.warn("{} from an OSGi Logger", marker);
        NodeHome home = new NodeHome(context);
        Await.until(LIMIT, () -> read(home.log()).contains("io.opsd.itests.r7 - " + marker + " from an OSGi Logger"),
            () -> "not in " + home.log());
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
