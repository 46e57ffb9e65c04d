package io.opsd.admin.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.metatype.MetaTypeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.admin.AdminException;
import io.opsd.api.admin.Caller;
import io.opsd.api.admin.ConfigurationAdministration;
import io.opsd.api.admin.ConfigurationChange;
import io.opsd.api.admin.ConfigurationUpdate;
import io.opsd.api.admin.ConfigurationView;
import io.opsd.api.config.ConfigurationValidator;

/**
 * The node's configuration in two layers: ConfigAdmin holds the operator's files (read by FileInstall, never
 * written), the {@link AdminLayer} holds what node administration set, and the {@link LayerPlugin} overlays it on
 * every delivery. An update is checked (metatype, the component's own {@link ConfigurationValidator}s), written to
 * the admin layer, delivered, and confirmed through ServiceComponentRuntime; a refusal puts the layer back.
 */
@Component(service = ConfigurationAdministration.class)
public final class ConfigurationAdministrationService implements ConfigurationAdministration {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationAdministrationService.class);
    static final Duration TAKE_BOUND = Duration.ofSeconds(5);
    static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";
    private static final String FILEINSTALL = "org.apache.felix.fileinstall";
    private static final String ADMIN_REFUSAL = Pids.ADMIN + " changes only in runtime-config/ on the node";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private final BundleContext context;
    private final ConfigurationAdmin cm;
    private final MetaTypeService metatype;
    private final AdminAudit audit;
    private final AdminLayer layer;
    private final ConfigDelivery delivery;
    private final ConfigValidators validators = new ConfigValidators();
    private final Object changes = new Object();

    @Activate
    public ConfigurationAdministrationService(BundleContext context, @Reference ConfigurationAdmin cm,
                                              @Reference MetaTypeService metatype,
                                              @Reference ServiceComponentRuntime scr, @Reference AdminAudit audit,
                                              @Reference AdminLayer layer,
                                              @Reference(target = "(component.name=io.opsd.admin.internal.LayerPlugin)")
                                              ConfigurationPlugin plugin) {
        this.context = context;
        this.cm = cm;
        this.metatype = metatype;
        this.audit = audit;
        this.layer = layer;
        this.delivery = new ConfigDelivery(scr);
        restore();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addValidator(ConfigurationValidator validator, Map<String, Object> props) {
        validators.add(validator, props);
    }

    void removeValidator(ConfigurationValidator validator) {
        validators.remove(validator);
    }

    /** Keys ConfigAdmin, FileInstall and DS own: never set through the admin layer. */
    static boolean isReserved(String key) {
        return key.startsWith("service.") || key.startsWith("component.") || key.startsWith("felix.fileinstall.");
    }

    /**
     * Redelivers every pid with an admin layer (its components may have had their configuration before the plugin
     * was there) and recreates in ConfigAdmin the admin-only ones it lost (a deleted framework cache).
     */
    private void restore() {
        layer.all().forEach((caPid, values) -> {
            try {
                Pids.Pid pid = Pids.parse(Pids.nameOf(caPid));
                Optional<Configuration> existing = find(caPid);
                if (existing.isPresent()) {
                    existing.get().update(existing.get().getProperties());
                } else {
                    create(pid, values);
                    LOG.info("{}: recreated in ConfigAdmin from the admin layer", pid.name());
                }
            } catch (IOException | AdminException | RuntimeException e) {
                LOG.error("{}: the admin layer cannot be delivered: {}", Pids.nameOf(caPid), e.getMessage());
            }
        });
    }

    @Override
    public List<ConfigurationView> configurations(String pidPrefix) {
        String prefix = pidPrefix == null ? "" : pidPrefix;
        Map<String, ConfigurationView> out = new TreeMap<>();
        Map<String, Map<String, String>> admin = layer.all();
        for (Configuration c : all()) {
            String caPid = c.getPid();
            String name = Pids.nameOf(caPid);
            if (isInternal(c) || !name.startsWith(prefix)) {
                continue;
            }
            try {
                Pids.Pid pid = Pids.parse(name);
                out.put(name, view(pid, state(pid, Optional.of(c)), admin.getOrDefault(caPid, Map.of())));
            } catch (AdminException | RuntimeException e) {
                LOG.debug("configuration {} not listed: {}", caPid, e.getMessage());
            }
        }
        admin.forEach((caPid, values) -> {
            String name = Pids.nameOf(caPid);
            if (!out.containsKey(name) && name.startsWith(prefix)) {
                try {
                    Pids.Pid pid = Pids.parse(name);
                    out.put(name, view(pid, new State(Map.of(), false, Optional.empty()), values));
                } catch (AdminException e) {
                    LOG.debug("admin layer {} not listed: {}", caPid, e.getMessage());
                }
            }
        });
        return List.copyOf(out.values());
    }

    @Override
    public ConfigurationChange update(Caller caller, ConfigurationUpdate update) throws AdminException {
        String what = "configuration " + update.pid() + describe(update);
        Pids.Pid pid = parse(caller, "update", what, update.pid(), !update.dryRun());
        synchronized (changes) {
            State state = state(pid, find(pid.caPid()));
            Map<String, String> before = layer.get(pid.caPid());
            Map<String, String> after = new TreeMap<>(before);
            update.remove().forEach(after::remove);
            after.putAll(update.set());

            Optional<MetatypeCheck> type = MetatypeCheck.find(context, metatype, pid.typePid());
            List<String> problems = problems(pid, update, type, merged(state.file, after));
            ConfigurationView view = view(pid, state, after);
            if (!problems.isEmpty()) {
                if (!update.dryRun()) {
                    audit.record(caller, "update", what, "invalid_argument", problems.size() + " problem(s): "
                        + String.join("; ", problems));
                }
                return new ConfigurationChange(view, problems, false);
            }
            if (update.dryRun()) {
                return new ConfigurationChange(view, List.of(), false);
            }
            apply(caller, "update", what, pid, state, before, after, false);
            audit.record(caller, "update", what, "ok", "applied");
            return new ConfigurationChange(view, List.of(), true);
        }
    }

    @Override
    public boolean delete(Caller caller, String pidText) throws AdminException {
        String what = "configuration " + pidText;
        Pids.Pid pid = parse(caller, "delete", what, pidText, true);
        synchronized (changes) {
            Map<String, String> before = layer.get(pid.caPid());
            if (before.isEmpty()) {
                audit.record(caller, "delete", what, "ok", "no admin layer");
                return false;
            }
            State state = state(pid, find(pid.caPid()));
            apply(caller, "delete", what, pid, state, before, Map.of(), !state.fileBacked);
            audit.record(caller, "delete", what, "ok", state.fileBacked ? "the file's values apply again"
                : "removed (it had no file)");
            return true;
        }
    }

    /** Writes the admin layer, delivers it and waits; a refusal puts the layer back and throws. */
    private void apply(Caller caller, String operation, String what, Pids.Pid pid, State state,
                       Map<String, String> before, Map<String, String> after, boolean gone)
        throws AdminException {
        ConfigDelivery.Outcome outcome;
        try {
            layer.put(pid, after);
            deliver(pid, state, after);
            Map<String, String> expected = merged(state.file, after);
            outcome = delivery.await(pid, expected, dropped(before, expected), gone, TAKE_BOUND);
        } catch (IOException | UncheckedIOException e) {
            outcome = new ConfigDelivery.Outcome(false, "cannot be delivered: " + e.getMessage());
        }
        if (outcome.taken()) {
            return;
        }
        try {
            layer.put(pid, before);
            Optional<Configuration> now = find(pid.caPid());
            if (before.isEmpty() && !state.fileBacked) {
                if (now.isPresent()) {
                    now.get().delete();
                }
            } else {
                deliver(pid, state(pid, now, state.fileBacked), before);
                Map<String, String> previous = merged(state.file, before);
                delivery.await(pid, previous, dropped(after, previous), false, TAKE_BOUND);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: the admin layer was put back but cannot be delivered: {}", pid.name(), e.getMessage());
        }
        String message = pid.name() + ": the component refused the new values: " + outcome.reason()
            + "; the admin layer is back as it was";
        audit.record(caller, operation, what, "failed_precondition", outcome.reason());
        throw new AdminException(AdminException.Code.FAILED_PRECONDITION, message);
    }

    /** Makes ConfigAdmin deliver again, so the plugin overlays the admin layer as it is now. */
    private void deliver(Pids.Pid pid, State state, Map<String, String> admin) throws IOException {
        Optional<Configuration> existing = state.configuration;
        if (state.fileBacked && existing.isPresent()) {
            // the store keeps the file's values; the update only triggers a delivery through the plugin
            existing.get().update(existing.get().getProperties());
        } else if (existing.isPresent()) {
            if (admin.isEmpty()) {
                existing.get().delete();
            } else {
                existing.get().update(new Hashtable<>(admin));
            }
        } else if (!admin.isEmpty()) {
            create(pid, admin);
        }
    }

    private void create(Pids.Pid pid, Map<String, String> admin) throws IOException {
        Configuration c = pid.isFactory()
            ? cm.getFactoryConfiguration(pid.factoryPid().get(), pid.instance().get(), "?")
            : cm.getConfiguration(pid.caPid(), "?");
        c.update(new Hashtable<>(admin));
    }

    private List<String> problems(Pids.Pid pid, ConfigurationUpdate update, Optional<MetatypeCheck> type,
                                  Map<String, String> effective) {
        List<String> problems = new ArrayList<>();
        List<ConfigurationValidator> own = validators.of(pid.typePid());
        if (type.isEmpty() && own.isEmpty()) {
            problems.add(pid.name() + ": no metatype and no validator describes this configuration, so a change"
                + " cannot be checked; edit runtime-config/" + pid.name() + ".cfg on the node instead");
            return problems;
        }
        List<String> keys = new ArrayList<>(update.set().keySet());
        keys.addAll(update.remove());
        for (String key : new java.util.TreeSet<>(keys)) {
            if (!KEY.matcher(key).matches()) {
                problems.add(pid.name() + ": \"" + key + "\" is not a key; use letters, digits, '.', '_' or '-'");
            } else if (isReserved(key)) {
                problems.add(pid.name() + ": " + key + " is set by ConfigAdmin, FileInstall or DS and cannot be"
                    + " changed");
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        type.ifPresent(t -> new TreeMap<>(update.set()).forEach((k, v) -> t.problem(pid.name(), k, v)
            .ifPresent(problems::add)));
        if (!problems.isEmpty()) {
            return problems;
        }
        Map<String, String> input = new LinkedHashMap<>(effective);
        input.put("service.pid", pid.caPid());
        pid.factoryPid().ifPresent(f -> input.put("service.factoryPid", f));
        Map<String, String> frozen = Collections.unmodifiableMap(input);
        for (ConfigurationValidator v : own) {
            try {
                problems.addAll(v.problems(frozen));
            } catch (RuntimeException e) {
                problems.add(pid.name() + ": the component's check failed: " + e);
            }
        }
        return problems;
    }

    private Pids.Pid parse(Caller caller, String operation, String what, String text, boolean audited)
        throws AdminException {
        try {
            Pids.Pid pid = Pids.parse(text);
            if (pid.caPid().equals(Pids.ADMIN)) {
                throw new AdminException(AdminException.Code.FAILED_PRECONDITION, ADMIN_REFUSAL);
            }
            return pid;
        } catch (AdminException e) {
            if (audited) {
                audit.record(caller, operation, what, e.code().name().toLowerCase(Locale.ROOT), e.getMessage());
            }
            throw e;
        }
    }

    /** What ConfigAdmin holds for a pid: the file's values (none for an admin-only pid) and whether a file made it. */
    private record State(Map<String, String> file, boolean fileBacked, Optional<Configuration> configuration) {
    }

    private State state(Pids.Pid pid, Optional<Configuration> c) {
        boolean fileBacked = c.map(x -> x.getProperties() != null && x.getProperties().get(FILEINSTALL_FILENAME)
            != null).orElse(false);
        return state(pid, c, fileBacked || c.isPresent() && !layer.has(pid.caPid()));
    }

    /** {@code fromFile}: ConfigAdmin's values are the operator's (else they are a copy of the admin layer). */
    private State state(Pids.Pid pid, Optional<Configuration> c, boolean fromFile) {
        Map<String, String> values = new TreeMap<>();
        if (fromFile && c.isPresent()) {
            Dictionary<String, Object> props = c.get().getProperties();
            if (props != null) {
                for (Enumeration<String> keys = props.keys(); keys.hasMoreElements(); ) {
                    String k = keys.nextElement();
                    if (!isReserved(k)) {
                        values.put(k, ConfigDelivery.text(props.get(k)));
                    }
                }
            }
        }
        return new State(values, fromFile && c.isPresent(), c);
    }

    private ConfigurationView view(Pids.Pid pid, State state, Map<String, String> admin) {
        Optional<MetatypeCheck> type = MetatypeCheck.find(context, metatype, pid.typePid());
        Set<String> passwords = type.map(MetatypeCheck::passwordKeys).orElse(Set.of());
        String source = admin.isEmpty() ? "file" : state.fileBacked ? "file+admin" : "admin";
        return new ConfigurationView(pid.name(), Secrets.masked(merged(state.file, admin), passwords), source,
            type.map(MetatypeCheck::views).orElse(List.of()));
    }

    /** The admin values of {@code was} whose key {@code now} no longer has. */
    private static Map<String, String> dropped(Map<String, String> was, Map<String, String> now) {
        Map<String, String> out = new HashMap<>(was);
        out.keySet().removeAll(now.keySet());
        return out;
    }

    private static Map<String, String> merged(Map<String, String> file, Map<String, String> admin) {
        Map<String, String> out = new TreeMap<>(file);
        out.putAll(admin);
        return out;
    }

    private static boolean isInternal(Configuration c) {
        String factory = c.getFactoryPid();
        return c.getPid().startsWith(FILEINSTALL) || factory != null && factory.startsWith(FILEINSTALL);
    }

    private Optional<Configuration> find(String caPid) {
        try {
            Configuration[] found = cm.listConfigurations("(service.pid=" + caPid + ")");
            return found == null || found.length == 0 ? Optional.empty() : Optional.of(found[0]);
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException("ConfigAdmin cannot list " + caPid + ": " + e.getMessage(), e);
        }
    }

    private List<Configuration> all() {
        try {
            Configuration[] found = cm.listConfigurations(null);
            return found == null ? List.of() : List.of(found);
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException("ConfigAdmin cannot list configurations: " + e.getMessage(), e);
        }
    }

    /** The keys of an update, never its values (they may be secrets). */
    private static String describe(ConfigurationUpdate u) {
        StringBuilder b = new StringBuilder();
        if (!u.set().isEmpty()) {
            b.append(" set ").append(String.join(",", new java.util.TreeSet<>(u.set().keySet())));
        }
        if (!u.remove().isEmpty()) {
            b.append(" remove ").append(String.join(",", u.remove()));
        }
        return b.toString();
    }
}
