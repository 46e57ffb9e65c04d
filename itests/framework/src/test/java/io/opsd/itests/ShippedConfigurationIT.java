package io.opsd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * Every shipped {@code runtime-config/<pid>.cfg} of an opsd PID lists exactly the keys of the PID's metatype,
 * with the metatype's defaults on the commented-out lines: the annotation is the one source, the file its mirror.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class ShippedConfigurationIT {

    /** {@code #key = value} (a default shown commented out) or {@code key = value}; prose comments have "# ". */
    private static final Pattern KEY_LINE = Pattern.compile("^(#?)([A-Za-z][\\w.]*)\\s*=\\s*(.*)$");

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    MetaTypeService metatype;

    @Test
    void everyShippedFileMatchesItsMetatype() throws Exception {
        Path shipped = Path.of(context.getProperty("opsd.itest.shipped.config"));
        List<String> checked = new ArrayList<>();
        try (Stream<Path> files = Files.list(shipped)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".cfg")).sorted().toList()) {
                String pid = file.getFileName().toString().replaceFirst("\\.cfg$", "");
                ObjectClassDefinition ocd = ocd(pid);
                if (ocd == null) {
                    continue; // not an opsd PID (HTTP, FileInstall, log levels)
                }
                checked.add(pid);
                Map<String, String> defaultsShown = new LinkedHashMap<>();
                for (String line : Files.readAllLines(file)) {
                    Matcher m = KEY_LINE.matcher(line.trim());
                    if (m.matches() && m.group(1).equals("#")) {
                        defaultsShown.put(m.group(2), m.group(3).trim());
                    }
                }
                Map<String, String> declared = new LinkedHashMap<>();
                for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
                    String[] d = ad.getDefaultValue();
                    declared.put(ad.getID(), d == null ? "" : String.join(",", d));
                }
                assertEquals(new TreeSet<>(declared.keySet()), new TreeSet<>(defaultsShown.keySet()),
                    file + " documents exactly the keys of " + pid);
                for (Map.Entry<String, String> e : declared.entrySet()) {
                    assertEquals(normalise(e.getValue()), normalise(defaultsShown.get(e.getKey())),
                        file + ": the default shown for " + e.getKey());
                }
            }
        }
        assertTrue(checked.containsAll(List.of("io.opsd.node", "io.opsd.metrics", "io.opsd.collector.cpu")),
            "checked " + checked);
    }

    private static String normalise(String list) {
        return list.replaceAll("\\s*,\\s*", ",").trim();
    }

    private ObjectClassDefinition ocd(String pid) {
        for (Bundle b : context.getBundles()) {
            String bsn = b.getSymbolicName();
            if (bsn == null || !bsn.startsWith("io.opsd.")) {
                continue;
            }
            MetaTypeInformation info = metatype.getMetaTypeInformation(b);
            if (info != null && List.of(info.getPids()).contains(pid)) {
                return info.getObjectClassDefinition(pid, null);
            }
        }
        return null;
    }
}
