package io.opsd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.opsd.testing.Await;

@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class HotDeployIT {

    private static final String FIXTURE = "io.opsd.itest.hello";
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ServiceComponentRuntime scr;

    @Test
    void aBundleDroppedInDeployIsInstalledAndItsRemovalUninstallsItWithoutDisturbingAnyOtherBundle() throws Exception {
        NodeHome home = new NodeHome(context);
        Path deployed = home.deployDir().resolve(FIXTURE + ".jar");
        Map<Long, String> before = bundleStates();
        List<String> disturbances = new CopyOnWriteArrayList<>();
        // FileInstall refreshes the bundle it installs or uninstalls; a refresh that reached any other bundle would
        // stop and re-resolve it, which this listener sees
        BundleListener bundles = e -> {
            if (!FIXTURE.equals(e.getBundle().getSymbolicName())) {
                disturbances.add("bundle " + e.getBundle().getSymbolicName() + " event " + e.getType());
            }
        };
        ServiceListener services = e -> {
            if (e.getType() != ServiceEvent.REGISTERED && isOpsd(e.getServiceReference().getBundle())) {
                disturbances.add("service " + Arrays.toString((String[]) e.getServiceReference()
                    .getProperty("objectClass")) + " of " + e.getServiceReference().getBundle().getSymbolicName()
                    + " event " + e.getType());
            }
        };
        context.addBundleListener(bundles);
        context.addServiceListener(services);
        Map<String, Long> componentIds = opsdComponentIds();
        try {
            Path staged = deployed.resolveSibling("." + FIXTURE + ".staged");
            Files.copy(home.fixture(FIXTURE), staged, StandardCopyOption.REPLACE_EXISTING);
            Files.move(staged, deployed, StandardCopyOption.ATOMIC_MOVE);

            Await.until(LIMIT, () -> fixtureComponentState().filter(s -> s == ComponentConfigurationDTO.ACTIVE)
                .isPresent(), () -> "fixture component state " + fixtureComponentState());
            Bundle fixture = fixture().orElseThrow();
            assertEquals(Bundle.ACTIVE, fixture.getState());
            assertTrue(context.getServiceReferences(java.util.function.Supplier.class, "(opsd.itest.fixture=hello)")
                .size() == 1, "the fixture's service is registered");

            Files.delete(deployed);
            Await.until(LIMIT, () -> fixture().isEmpty(), () -> "fixture still installed: " + fixture());
        } finally {
            Files.deleteIfExists(deployed);
            context.removeBundleListener(bundles);
            context.removeServiceListener(services);
        }
        assertEquals(List.of(), disturbances, "no other bundle or opsd service was touched");
        assertEquals(before, bundleStates(), "every other bundle has the same id and state");
        assertEquals(componentIds, opsdComponentIds(), "every opsd component kept its configuration");
    }

    private Optional<Bundle> fixture() {
        return Arrays.stream(context.getBundles()).filter(b -> FIXTURE.equals(b.getSymbolicName())).findFirst();
    }

    private Optional<Integer> fixtureComponentState() {
        return fixture().flatMap(b -> scr.getComponentDescriptionDTOs(b).stream().findFirst())
            .flatMap(d -> scr.getComponentConfigurationDTOs(d).stream().findFirst()).map(c -> c.state);
    }

    private Map<Long, String> bundleStates() {
        Map<Long, String> states = new TreeMap<>();
        for (Bundle b : context.getBundles()) {
            if (!FIXTURE.equals(b.getSymbolicName())) {
                states.put(b.getBundleId(), b.getSymbolicName() + "@" + b.getState() + "/" + b.getLastModified());
            }
        }
        return states;
    }

    /** Component configuration ids: a configuration SCR disposed of and created again has a new id. */
    private Map<String, Long> opsdComponentIds() {
        Map<String, Long> ids = new TreeMap<>();
        List<Bundle> opsd = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (isOpsd(b)) {
                opsd.add(b);
            }
        }
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(opsd.toArray(new Bundle[0]))) {
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                ids.put(d.name, c.id);
            }
        }
        return ids;
    }

    private static boolean isOpsd(Bundle bundle) {
        String bsn = bundle.getSymbolicName();
        return bsn != null && bsn.startsWith("io.opsd.") && !bsn.startsWith("io.opsd.itest");
    }
}
