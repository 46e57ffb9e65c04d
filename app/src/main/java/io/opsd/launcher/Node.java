package io.opsd.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleRevision;

import sun.misc.Signal;

/** Starts the framework with the packed bundles, and stops it in order on SIGTERM or SIGINT. */
final class Node {

    /**
     * architecture.md §7: the whole stop finishes well inside 35 s and always exits (systemd's TimeoutStopSec is
     * 40 s). The agents are stopped together within 27 s of the agent bundle's stop (their stop.timeout is cut to
     * 20 s at opsd's stop, then 5 s after SIGKILL and a 2 s margin: AgentRuntime.SHUTDOWN_STOP_LIMIT), so this
     * limit is not reached by agents that take their time.
     */
    static final Duration STOP_LIMIT = Duration.ofSeconds(30);

    private static final String FILEINSTALL = "org.apache.felix.fileinstall";

    private final Layout layout;
    private final Properties settings;
    private final String version;
    private final Console console;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile Framework framework;
    private static final long CONFIG_CHECK_MILLIS = 1000;

    private final ConfigDirCheck configCheck;
    /** held: java.util.logging keeps loggers only weakly, and would forget the level */
    private final java.util.logging.Logger spiflyLog = java.util.logging.Logger.getLogger("org.apache.aries.spifly");

    Node(Layout layout, Properties settings, String version, Console console) {
        this.layout = layout;
        this.settings = settings;
        this.version = version;
        this.console = console;
        this.configCheck = new ConfigDirCheck(layout.configDir(), console, this::rereadConfiguration);
    }

    int runUntilStopped() {
        long started = System.nanoTime();
        StartLevels levels = new StartLevels(settings);
        configureLogging();
        List<BundleSource.Entry> bundles;
        try {
            bundles = BundleSource.list(System.getProperty("opsd.launcher.bundles"));
        } catch (IOException e) {
            console.error("cannot read the bundles to run: " + e.getMessage());
            return Main.FAILED;
        }
        try {
            FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
            framework = factory.newFramework(frameworkProperties(levels.beginning()));
            try {
                framework.init();
                install(framework.getBundleContext(), bundles, levels);
            } catch (BundleException | IOException | RuntimeException e) {
                // a cache left damaged (a full disk, a crash while writing it) must not keep the node down
                console.warn("the framework cache " + layout.cacheDir() + " cannot be used (" + e
                    + "); starting with an empty one");
                stopQuietly();
                deleteTree(layout.cacheDir());
                framework = factory.newFramework(frameworkProperties(levels.beginning()));
                framework.init();
                install(framework.getBundleContext(), bundles, levels);
            }
            handleSignals();
            framework.start();
        } catch (BundleException | IOException | RuntimeException e) {
            console.error("the node failed to start: " + e);
            stopQuietly();
            return Main.FAILED;
        }
        console.info("opsd " + version + " started in " + Duration.ofNanos(System.nanoTime() - started).toMillis()
            + " ms (" + bundles.size() + " bundles, home " + layout.home() + ")");
        return awaitStop();
    }

    /**
     * Waits for the framework to stop. Meanwhile, once a second, the configuration directory is checked: FileInstall
     * skips a dangling link or a directory silently, so the launcher names them at the pace FileInstall polls.
     */
    private int awaitStop() {
        try {
            FrameworkEvent event;
            do {
                configCheck.check();
                event = framework.waitForStop(CONFIG_CHECK_MILLIS);
            } while (event.getType() == FrameworkEvent.WAIT_TIMEDOUT);
            if (event.getType() == FrameworkEvent.ERROR) {
                console.error("the framework stopped with an error: " + event.getThrowable());
                return Main.FAILED;
            }
            console.info("opsd stopped");
            return Main.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.FAILED;
        }
    }

    private Map<String, String> frameworkProperties(int beginning) {
        Map<String, String> p = new HashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, layout.cacheDir().toString());
        // the cache is kept between starts: bundles whose jar did not change are not copied and unpacked again
        p.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(beginning));
        p.put("felix.startlevel.bundle", Integer.toString(beginning));
        p.put("opsd.home", layout.home().toString());
        p.put("opsd.config.dir", layout.configDir().toString());
        p.put("opsd.deploy.dir", layout.deployDir().toString());
        p.put("opsd.data.dir", layout.dataDir().toString());
        p.put("opsd.log.dir", layout.logDir().toString());
        p.put("opsd.version", version);

        // The configuration directory is input only: never written back (FileInstall's default would rewrite it).
        p.put("felix.fileinstall.dir", layout.configDir().toString());
        p.put("felix.fileinstall.filter", ".*\\.(cfg|config)");
        p.put("felix.fileinstall.enableConfigSave", "false");
        p.put("felix.fileinstall.poll", "200");
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.log.level", "3");
        p.put("felix.fileinstall.start.level", Integer.toString(beginning));
        // a hot-deployed bundle must never refresh a bundle it did not install
        p.put("felix.fileinstall.optionalImportRefreshScope", "managed");
        p.put("felix.fileinstall.fragmentRefreshScope", "managed");

        // Jetty starts from framework properties before ConfigAdmin hands it its configuration: seed them from the
        // same file, so it never binds another address or port in between
        p.putAll(HttpSeed.read(layout.configDir().resolve("org.apache.felix.http.cfg")));
        p.put("org.apache.felix.log.maxSize", "200");
        // the OSGi log's root level from its first record, not from whenever ConfigAdmin delivers the levels
        Path logLevels = layout.configDir().resolve("org.osgi.service.log.admin.cfg");
        p.put(LogLevelSeed.DEFAULT_LEVEL, LogLevelSeed.read(logLevels));
        // resolving runs on the start-level thread: a resolver pool would keep threads that an idle node never uses
        p.put("felix.resolver.parallelism", "1");

        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("felix.") || key.startsWith("org.osgi.service.http.")
                || key.startsWith("org.apache.felix.")) {
                p.put(key, System.getProperty(key)); // -D overrides, for tests and operators
            }
        }
        return p;
    }

    /** logback reads its configuration file from a system property; the operator's copy wins over the packed one. */
    private void configureLogging() {
        // SPI Fly reports every provider it registers through java.util.logging, outside the node's log format
        spiflyLog.setLevel(java.util.logging.Level.WARNING);
        System.setProperty("opsd.log.dir", layout.logDir().toString());
        if (System.getProperty("logback.configurationFile") == null) {
            Path custom = layout.configDir().resolve("logback.xml");
            String config = Files.isRegularFile(custom) ? custom.toUri().toString()
                : String.valueOf(Main.class.getResource("/opsd-logback.xml"));
            System.setProperty("logback.configurationFile", config);
        }
    }

    /**
     * Installs what the cache does not hold yet, and uninstalls what an earlier opsd.jar installed and this one
     * no longer has. Hot-deployed bundles (FileInstall's, with other locations) are left to FileInstall.
     */
    private static void install(BundleContext context, List<BundleSource.Entry> entries, StartLevels levels)
        throws BundleException, IOException {
        java.util.Set<String> wanted = new java.util.HashSet<>();
        entries.forEach(e -> wanted.add(e.location()));
        for (Bundle cached : context.getBundles()) {
            String location = cached.getLocation();
            if (cached.getBundleId() != 0 && location.startsWith(BundleSource.LOCATION_PREFIX)
                && !wanted.contains(location)) {
                cached.uninstall();
            }
        }
        for (BundleSource.Entry entry : entries) {
            Bundle bundle = context.getBundle(entry.location());
            if (bundle == null) {
                try (InputStream in = entry.opener().open()) {
                    bundle = context.installBundle(entry.location(), in);
                }
            }
            bundle.adapt(BundleStartLevel.class).setStartLevel(levels.levelOf(entry.symbolicName()));
            if ((bundle.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) == 0) {
                bundle.start();
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private void handleSignals() {
        Signal.handle(new Signal("TERM"), s -> stop("SIGTERM"));
        Signal.handle(new Signal("INT"), s -> stop("SIGINT"));
        Signal.handle(new Signal("HUP"), s -> reload());
        // No SIGQUIT: HotSpot refuses a Java handler for it with or without -Xrs, and -Xrs would also take SIGTERM,
        // SIGINT and SIGHUP from us (docs/operations.md, signals). It stays the JVM's thread dump.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // JVM exit by another path than our signals (System.exit elsewhere): still stop in order, and never
            // let the JVM end while a stop is under way (its agents are being stopped); bounded by STOP_LIMIT
            int running = Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING;
            if (framework != null && (framework.getState() & running) != 0) {
                stop("JVM shutdown");
                awaitFrameworkStop();
            }
        }, "opsd-launcher-shutdown"));
    }

    private void stop(String why) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        console.info(why + ": stopping opsd");
        Thread watchdog = new Thread(() -> {
            if (!awaitFrameworkStop()) {
                console.error("opsd did not stop within " + STOP_LIMIT.toSeconds() + " s; exiting anyway");
                Runtime.getRuntime().halt(Main.FAILED);
            }
        }, "opsd-launcher-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            framework.stop();
        } catch (BundleException e) {
            console.error("stopping the framework failed: " + e.getMessage());
        }
    }

    private boolean awaitFrameworkStop() {
        try {
            return framework.waitForStop(STOP_LIMIT.toMillis()).getType() != FrameworkEvent.WAIT_TIMEDOUT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGHUP: FileInstall re-reads every configuration file when it starts, and applies what changed. */
    private void reload() {
        console.info("SIGHUP: re-reading " + layout.configDir());
        configCheck.check();
        rereadConfiguration();
    }

    /** Restarts FileInstall transiently: it reads every file again at start and applies what changed. */
    private void rereadConfiguration() {
        if (stopping.get()) {
            return;
        }
        for (Bundle bundle : framework.getBundleContext().getBundles()) {
            if (FILEINSTALL.equals(bundle.getSymbolicName())) {
                try {
                    bundle.stop(Bundle.STOP_TRANSIENT);
                    bundle.start(Bundle.START_TRANSIENT);
                } catch (BundleException e) {
                    console.error("reloading the configuration failed: " + e.getMessage());
                }
            }
        }
    }

    private void stopQuietly() {
        try {
            if (framework != null) {
                framework.stop();
                framework.waitForStop(STOP_LIMIT.toMillis());
            }
        } catch (BundleException | InterruptedException e) {
            console.warn("stopping after a failed start: " + e.getMessage());
        }
    }
}
