package io.opsd.admin.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

import io.opsd.api.admin.BundleView;
import io.opsd.api.admin.ComponentView;

/** Framework bundles and their DS components as the API shows them; jar hashes cached per bundle id and change. */
final class BundleViews {

    private record HashKey(long id, long lastModified) {
    }

    private final ServiceComponentRuntime scr;
    private final BundleOrigins origins;
    private final BundleStore store;
    private final Map<HashKey, String> hashes = new ConcurrentHashMap<>();

    BundleViews(ServiceComponentRuntime scr, BundleOrigins origins, BundleStore store) {
        this.scr = scr;
        this.origins = origins;
        this.store = store;
    }

    List<BundleView> all(Bundle[] bundles) {
        List<BundleView> views = new ArrayList<>();
        for (Bundle b : bundles) {
            if (b.getBundleId() != 0) {
                views.add(view(b));
            }
        }
        views.sort(Comparator.comparing(BundleView::symbolicName, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingLong(BundleView::id));
        return views;
    }

    BundleView view(Bundle b) {
        String origin = origins.origin(b);
        return new BundleView(b.getBundleId(), String.valueOf(b.getSymbolicName()), b.getVersion().toString(),
            state(b.getState()), origin, sha256(b, origin), components(b));
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }

    List<ComponentView> components(Bundle b) {
        List<ComponentView> views = new ArrayList<>();
        if (b.getState() == Bundle.UNINSTALLED) {
            return views;
        }
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
            if (!scr.isComponentEnabled(d)) {
                views.add(new ComponentView(d.name, "DISABLED", ""));
                continue;
            }
            var configs = scr.getComponentConfigurationDTOs(d);
            if (configs.isEmpty()) {
                views.add(new ComponentView(d.name, "UNSATISFIED_CONFIGURATION",
                    "waiting for configuration " + String.join(", ", d.configurationPid)));
            }
            for (ComponentConfigurationDTO c : configs) {
                views.add(new ComponentView(d.name, componentState(c.state), failure(d, c)));
            }
        }
        return views;
    }

    static String componentState(int state) {
        return switch (state) {
            case ComponentConfigurationDTO.ACTIVE -> "ACTIVE";
            case ComponentConfigurationDTO.SATISFIED -> "SATISFIED";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "UNSATISFIED_REFERENCE";
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "UNSATISFIED_CONFIGURATION";
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "FAILED_ACTIVATION";
            default -> "UNKNOWN(" + state + ")";
        };
    }

    static String failure(ComponentDescriptionDTO d, ComponentConfigurationDTO c) {
        if (c.failure != null && !c.failure.isBlank()) {
            return rootCause(c.failure);
        }
        if (c.unsatisfiedReferences != null && c.unsatisfiedReferences.length > 0) {
            return java.util.Arrays.stream(c.unsatisfiedReferences).map(r -> unsatisfied(d, r))
                .collect(Collectors.joining("; "));
        }
        return "";
    }

    /** SCR's failure is a stack trace whose first line is often InvocationTargetException: the last cause counts. */
    static String rootCause(String trace) {
        List<String> lines = trace.lines().map(String::trim).toList();
        String cause = lines.isEmpty() ? "" : lines.get(0);
        for (String line : lines) {
            if (line.startsWith("Caused by: ")) {
                cause = line.substring("Caused by: ".length());
            }
        }
        return cause;
    }

    private static String unsatisfied(ComponentDescriptionDTO d, UnsatisfiedReferenceDTO r) {
        String type = d.references == null ? "" : java.util.Arrays.stream(d.references)
            .filter(ref -> r.name.equals(ref.name)).map(ref -> ref.interfaceName).findFirst().orElse("");
        return "unsatisfied reference " + r.name + " (interface " + type + ")"
            + (r.target == null ? "" : " target " + r.target);
    }

    private String sha256(Bundle b, String origin) {
        // not cached: between a framework change and the stored jar's rename, a cache would keep the old hash
        if (BundleView.ORIGIN_ADMIN.equals(origin)) {
            return store.storedSha(b.getLocation().substring(BundleOrigins.ADMIN_PREFIX.length())).orElse("");
        }
        return hashes.computeIfAbsent(new HashKey(b.getBundleId(), b.getLastModified()), k -> hashLocation(b));
    }

    /** The launcher's {@code opsd:} locations cannot be opened: empty, as the API allows. */
    private static String hashLocation(Bundle b) {
        try (InputStream in = new URL(b.getLocation()).openStream()) {
            return hex(in);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    static String hex(InputStream in) throws IOException {
        MessageDigest digest = sha256Digest();
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String hex(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return hex(in);
        }
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
