package io.opsd.launcher.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The PIDs and attribute ids that the bundles on the class path declare in their generated
 * {@code OSGI-INF/metatype/*.xml}: the app module depends on every opsd bundle, so its tests see their jars (which
 * bnd-maven-plugin writes at {@code package}; the reactor hands them to this module without {@code mvn install}).
 */
final class BundleMetatype {

    /** One designated PID: a factory PID or a single one, with the keys its OCD declares. */
    record Designation(String pid, boolean factory, Set<String> keys, String source) {
    }

    private final Map<String, Designation> designations = new HashMap<>();

    private BundleMetatype() {
    }

    static BundleMetatype onClassPath() throws Exception {
        BundleMetatype m = new BundleMetatype();
        for (URL manifest : Collections.list(BundleMetatype.class.getClassLoader()
            .getResources("META-INF/MANIFEST.MF"))) {
            if (manifest.getProtocol().equals("jar")) {
                JarFile jar = ((JarURLConnection) manifest.openConnection()).getJarFile();
                for (JarEntry e : Collections.list(jar.entries())) {
                    if (e.getName().startsWith("OSGI-INF/metatype/") && e.getName().endsWith(".xml")) {
                        try (InputStream in = jar.getInputStream(e)) {
                            m.read(in, jar.getName());
                        }
                    }
                }
            } else if (manifest.getProtocol().equals("file")) {
                m.readDirectory(Path.of(manifest.toURI()).getParent().getParent().resolve("OSGI-INF/metatype"));
            }
        }
        return m;
    }

    Designation designation(String pid) {
        return designations.get(pid);
    }

    Set<String> pids() {
        return designations.keySet();
    }

    private void readDirectory(Path dir) throws URISyntaxException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".xml")).toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    read(in, f.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(dir + ": " + e, e);
        }
    }

    private void read(InputStream in, String source) throws Exception {
        Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in).getDocumentElement();
        Map<String, Set<String>> ocds = new HashMap<>();
        NodeList ocdList = root.getElementsByTagName("OCD");
        for (int i = 0; i < ocdList.getLength(); i++) {
            Element ocd = (Element) ocdList.item(i);
            Set<String> keys = new HashSet<>();
            NodeList ads = ocd.getElementsByTagName("AD");
            for (int j = 0; j < ads.getLength(); j++) {
                keys.add(((Element) ads.item(j)).getAttribute("id"));
            }
            ocds.put(ocd.getAttribute("id"), keys);
        }
        NodeList designates = root.getElementsByTagName("Designate");
        for (int i = 0; i < designates.getLength(); i++) {
            Element d = (Element) designates.item(i);
            boolean factory = !d.getAttribute("factoryPid").isEmpty();
            String pid = factory ? d.getAttribute("factoryPid") : d.getAttribute("pid");
            String ocd = ((Element) d.getElementsByTagName("Object").item(0)).getAttribute("ocdref");
            designations.put(pid, new Designation(pid, factory, Set.copyOf(ocds.getOrDefault(ocd, Set.of())),
                source));
        }
    }
}
