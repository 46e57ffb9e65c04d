package io.opsd.admin.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.admin.AdminException;
import io.opsd.api.admin.AdminException.Code;
import io.opsd.api.admin.BundleAdministration;
import io.opsd.api.admin.BundleUpload;
import io.opsd.api.admin.BundleView;
import io.opsd.api.admin.Caller;
import io.opsd.api.admin.InstallHeader;
import io.opsd.api.admin.InstallResult;
import io.opsd.api.config.InvalidConfigurationException;
import io.opsd.api.runtime.RuntimePaths;

/** Lists, installs (checked, signed, rolled back on failure) and uninstalls bundles; see design/node-admin.md §2. */
@Component(service = BundleAdministration.class, configurationPid = AdminConfig.PID)
public final class BundleAdministrationService implements BundleAdministration {

    private static final Logger LOG = LoggerFactory.getLogger(BundleAdministrationService.class);

    private final BundleContext context;
    private final AdminAudit audit;
    private final BundleOrigins origins;
    private final BundleStore store;
    private final BundleViews views;
    private final ActivationWatch watch;
    private final FrameworkRefresh framework;
    private final Set<String> installing = ConcurrentHashMap.newKeySet();
    private final Object frameworkChanges = new Object();
    private final Thread reconcile;
    private volatile AdminSettings settings;
    private volatile boolean stopping;

    @Activate
    public BundleAdministrationService(BundleContext context, @Reference ServiceComponentRuntime scr,
                                       @Reference AdminAudit audit, AdminConfig config, Map<String, Object> props)
        throws IOException {
        this.context = context;
        this.audit = audit;
        this.settings = AdminSettings.of(config, props);
        this.origins = BundleOrigins.of(context);
        this.store = new BundleStore(RuntimePaths.dataDir(context), context.getDataFile("").toPath());
        this.views = new BundleViews(scr, origins, store);
        this.watch = new ActivationWatch(views);
        this.framework = new FrameworkRefresh(context);
        // before the service is registered: later, it would delete the files of uploads already running
        store.deleteIncoming();
        // off the activation thread: the node's start and /ready do not wait for admin bundles
        this.reconcile = new Thread(this::reconcile, "opsd-admin-reconcile");
        reconcile.setDaemon(true);
        reconcile.start();
    }

    @Modified
    void modified(AdminConfig config, Map<String, Object> props) {
        try {
            settings = AdminSettings.of(config, props);
        } catch (InvalidConfigurationException e) {
            LOG.error("{}; bundle administration keeps its previous settings", e.getMessage());
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        stopping = true;
        reconcile.join(TimeUnit.SECONDS.toMillis(30));
    }

    @Override
    public List<BundleView> bundles() {
        return views.all(context.getBundles());
    }

    @Override
    public BundleUpload beginInstall(Caller caller, InstallHeader h) throws AdminException {
        String what = "install " + h.fileName();
        try {
            AdminSettings s = settings;
            if (stopping) {
                throw new AdminException(Code.UNAVAILABLE, "opsd is stopping; install again once it runs");
            }
            InstallChecks.checkHeader(h, s);
            try {
                return new UploadFile(h, store.newIncoming(h.fileName()), new Audited(caller));
            } catch (IOException e) {
                throw new AdminException(Code.UNAVAILABLE, "cannot keep the upload: " + e.getMessage(), e);
            }
        } catch (AdminException e) {
            audit.record(caller, "install", what, result(e), e.getMessage());
            throw e;
        }
    }

    /** Audits the outcome of one upload, exactly once. */
    private final class Audited implements UploadFile.Installer {
        private final Caller caller;

        Audited(Caller caller) {
            this.caller = caller;
        }

        @Override
        public InstallResult install(UploadFile upload) throws AdminException {
            String what = "install " + upload.header().fileName();
            try {
                InstallResult r = installUpload(upload);
                audit.record(caller, "install", what, "ok", r.bundle().symbolicName() + " " + r.bundle().version()
                    + (r.replaced() ? " replaced " + r.previousVersion() : ""));
                return r;
            } catch (AdminException e) {
                audit.record(caller, "install", what, result(e), e.getMessage());
                throw e;
            }
        }

        @Override
        public void aborted(UploadFile upload, String reason) {
            audit.record(caller, "install", "install " + upload.header().fileName(), "cancelled", reason);
        }

        @Override
        public void refused(UploadFile upload, AdminException e) {
            audit.record(caller, "install", "install " + upload.header().fileName(), result(e), e.getMessage());
        }
    }

    private InstallResult installUpload(UploadFile upload) throws AdminException {
        if (stopping) {
            throw new AdminException(Code.UNAVAILABLE, "opsd is stopping; install again once it runs");
        }
        upload.complete();
        AdminSettings s = settings;
        InstallHeader h = upload.header();
        InstallChecks.checkSignature(upload.file(), h, s);
        String bsn = InstallChecks.symbolicName(upload.file(), h.fileName());
        Bundle existing = null;
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                String origin = origins.origin(b);
                if (BundleView.ORIGIN_CORE.equals(origin)) {
                    throw new AdminException(Code.FAILED_PRECONDITION, bsn + " is a core bundle of opsd; it changes"
                        + " with opsd.jar");
                }
                if (BundleView.ORIGIN_DEPLOY.equals(origin)) {
                    throw new AdminException(Code.FAILED_PRECONDITION, bsn + " was installed from the deploy folder ("
                        + origins.deployFile(b).map(Path::toString).orElse(b.getLocation())
                        + "); remove that file first or replace it there");
                }
                existing = b;
            }
        }
        if (!installing.add(bsn)) {
            throw new AdminException(Code.ABORTED, "an install of " + bsn + " is already running");
        }
        try {
            synchronized (frameworkChanges) {
                return installChecked(bsn, upload, existing, InstallChecks.activationTimeout(h, s));
            }
        } finally {
            installing.remove(bsn);
        }
    }

    private InstallResult installChecked(String bsn, UploadFile upload, Bundle existing, Duration timeout)
        throws AdminException {
        String location = BundleOrigins.adminLocation(bsn);
        Path previousJar = store.jar(bsn);
        Path backup = null;
        String previousVersion = existing == null ? "" : existing.getVersion().toString();
        Bundle bundle = existing;
        try {
            if (existing != null && Files.exists(previousJar)) {
                backup = previousJar.resolveSibling("." + bsn + ".previous");
                Files.copy(previousJar, backup, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            store.mark(bsn, BundleStore.UNKNOWN);
            try (InputStream in = Files.newInputStream(upload.file())) {
                if (existing == null) {
                    bundle = context.installBundle(location, in);
                } else {
                    existing.update(in);
                    framework.refresh(existing);
                }
            }
            Optional<String> failure;
            try {
                bundle.start();
                failure = watch.await(bundle, timeout);
            } catch (BundleException | IllegalStateException e) {
                failure = Optional.of(firstLine(e));
            }
            if (failure.isPresent()) {
                rollBack(bsn, bundle, existing != null, backup);
                throw new AdminException(Code.FAILED_PRECONDITION, bsn + " " + bundle.getVersion()
                    + " did not start and was " + (existing == null ? "removed" : "replaced by " + previousVersion
                    + " again") + ": " + failure.get());
            }
            store.keep(bsn, upload.file());
            store.mark(bsn, upload.header().sha256());
            LOG.info("installed {} {} from {}{}", bsn, bundle.getVersion(), upload.header().fileName(),
                existing == null ? "" : " replacing " + previousVersion);
            return new InstallResult(views.view(bundle), existing != null, previousVersion);
        } catch (BundleException e) {
            if (existing == null && bundle != null) {
                rollBack(bsn, bundle, false, null);
            }
            throw new AdminException(Code.FAILED_PRECONDITION, bsn + " could not be installed: " + firstLine(e), e);
        } catch (IOException e) {
            throw new AdminException(Code.UNAVAILABLE, bsn + ": " + e.getMessage(), e);
        } finally {
            if (backup != null) {
                try {
                    Files.deleteIfExists(backup);
                } catch (IOException e) {
                    LOG.debug("cannot delete {}", backup, e);
                }
            }
        }
    }

    private void rollBack(String bsn, Bundle bundle, boolean replacement, Path backup) {
        try {
            if (!replacement) {
                bundle.uninstall();
                framework.refresh(bundle);
                store.delete(bsn);
            } else if (backup != null) {
                try (InputStream in = Files.newInputStream(backup)) {
                    bundle.update(in);
                }
                framework.refresh(bundle);
                bundle.start();
                store.mark(bsn, BundleViews.hex(store.jar(bsn)));
            }
        } catch (BundleException | IOException | IllegalStateException | AdminException e) {
            LOG.error("rolling back {} failed: {}; restart opsd to restore the stored version", bsn, e.toString());
        }
    }

    @Override
    public BundleView uninstall(Caller caller, String symbolicName) throws AdminException {
        String what = "uninstall " + symbolicName;
        try {
            BundleView view = uninstallChecked(symbolicName);
            audit.record(caller, "uninstall", what, "ok", view.origin() + " " + view.version());
            return view;
        } catch (AdminException e) {
            audit.record(caller, "uninstall", what, result(e), e.getMessage());
            throw e;
        }
    }

    private BundleView uninstallChecked(String symbolicName) throws AdminException {
        if (stopping) {
            throw new AdminException(Code.UNAVAILABLE, "opsd is stopping; uninstall again once it runs");
        }
        Bundle bundle = null;
        for (Bundle b : context.getBundles()) {
            if (symbolicName != null && symbolicName.equals(b.getSymbolicName())) {
                bundle = b;
            }
        }
        if (bundle == null) {
            throw new AdminException(Code.NOT_FOUND, "no bundle " + symbolicName + " is installed");
        }
        BundleView view = views.view(bundle);
        if (!installing.add(symbolicName)) {
            throw new AdminException(Code.ABORTED, "an install of " + symbolicName + " is running");
        }
        try {
            synchronized (frameworkChanges) {
                switch (view.origin()) {
                    case BundleView.ORIGIN_CORE -> throw new AdminException(Code.FAILED_PRECONDITION, symbolicName
                        + " is a core bundle of opsd; it changes with opsd.jar");
                    case BundleView.ORIGIN_DEPLOY -> {
                        // the file goes: uninstalling only the bundle would let FileInstall install it again
                        Files.deleteIfExists(origins.deployFile(bundle).orElseThrow());
                        bundle.uninstall();
                    }
                    default -> {
                        // the jar goes first: after a crash in between, the reconcile removes the orphan bundle
                        store.delete(symbolicName);
                        bundle.uninstall();
                    }
                }
                framework.refresh(bundle);
            }
        } catch (IOException | BundleException e) {
            throw new AdminException(Code.UNAVAILABLE, "cannot uninstall " + symbolicName + ": " + e.getMessage(), e);
        } finally {
            installing.remove(symbolicName);
        }
        LOG.info("uninstalled {} {} ({})", symbolicName, view.version(), view.origin());
        return view;
    }

    /** Brings the framework in line with the stored jars after a crash or the loss of the framework cache. */
    private void reconcile() {
        try {
            Map<String, Bundle> admin = new java.util.HashMap<>();
            for (Bundle b : context.getBundles()) {
                if (b.getLocation().startsWith(BundleOrigins.ADMIN_PREFIX)) {
                    admin.put(b.getLocation().substring(BundleOrigins.ADMIN_PREFIX.length()), b);
                }
            }
            synchronized (frameworkChanges) {
                for (String bsn : store.storedNames()) {
                    if (stopping) {
                        return;
                    }
                    Bundle b = admin.remove(bsn);
                    String sha = BundleViews.hex(store.jar(bsn));
                    try {
                        if (b == null) {
                            LOG.info("reinstalling {} from {}: the framework does not have it", bsn, store.jar(bsn));
                            store.mark(bsn, BundleStore.UNKNOWN);
                            try (InputStream in = Files.newInputStream(store.jar(bsn))) {
                                b = context.installBundle(BundleOrigins.adminLocation(bsn), in);
                            }
                            b.start();
                        } else if (!sha.equals(store.marker(bsn).orElse(BundleStore.UNKNOWN))) {
                            LOG.info("updating {} from {}: an install was interrupted", bsn, store.jar(bsn));
                            try (InputStream in = Files.newInputStream(store.jar(bsn))) {
                                b.update(in);
                            }
                            framework.refresh(b);
                            b.start();
                        }
                        store.mark(bsn, sha);
                    } catch (BundleException | AdminException | IllegalStateException e) {
                        LOG.error("admin bundle {} could not be restored from {}: {}", bsn, store.jar(bsn),
                            e.getMessage());
                    }
                }
                for (Map.Entry<String, Bundle> orphan : admin.entrySet()) {
                    LOG.info("uninstalling {}: installed through node administration, but its jar is gone",
                        orphan.getKey());
                    try {
                        orphan.getValue().uninstall();
                        store.delete(orphan.getKey());
                    } catch (BundleException | IllegalStateException e) {
                        LOG.error("cannot uninstall {}: {}", orphan.getKey(), e.getMessage());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("reconciling admin bundles failed: {}", e.toString());
        }
    }

    private static String result(AdminException e) {
        return e.code().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.lines().findFirst().orElse(m).trim();
    }
}
