package io.opsd.admin.internal;

import java.util.Optional;
import java.util.regex.Pattern;

import io.opsd.api.admin.AdminException;
import io.opsd.api.store.AgentIds;

/**
 * Pids as the operator names them (file names in {@code runtime-config/}: {@code io.opsd.collector.cpu},
 * {@code io.opsd.agent-web1}) and as ConfigAdmin names them ({@code io.opsd.agent~web1}). Like FileInstall, the
 * first '-' separates a factory pid from the configuration's name.
 */
final class Pids {

    static final String ADMIN = "io.opsd.admin";
    static final String AGENT_FACTORY = "io.opsd.agent";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private Pids() {
    }

    /** One configuration: the operator's pid, ConfigAdmin's pid and, for a factory configuration, its parts. */
    record Pid(String name, String caPid, Optional<String> factoryPid, Optional<String> instance) {

        boolean isFactory() {
            return factoryPid.isPresent();
        }

        /** The pid the metatype and the validators are registered for: the factory pid, else the pid. */
        String typePid() {
            return factoryPid.orElse(caPid);
        }
    }

    /** Parses an operator's pid. */
    static Pid parse(String pid) throws AdminException {
        String text = pid == null ? "" : pid;
        if (!VALID.matcher(text).matches()) {
            throw new AdminException(AdminException.Code.INVALID_ARGUMENT, "pid \"" + shorten(text) + "\" is not a"
                + " pid; use 1 to 200 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        int dash = text.indexOf('-');
        if (dash < 0) {
            return new Pid(text, text, Optional.empty(), Optional.empty());
        }
        String factory = text.substring(0, dash);
        String instance = text.substring(dash + 1);
        if (factory.isEmpty() || instance.isEmpty() || factory.endsWith(".")) {
            throw new AdminException(AdminException.Code.INVALID_ARGUMENT, "pid \"" + text + "\" is not a pid; a"
                + " factory configuration is named <factory pid>-<name>, such as io.opsd.agent-web1");
        }
        if (factory.equals(AGENT_FACTORY) && !AgentIds.isValid(instance)) {
            throw new AdminException(AdminException.Code.INVALID_ARGUMENT, "pid \"" + text + "\": \"" + instance
                + "\" is not a valid agent id; use 1 to 100 ASCII letters, digits, '_', '.' or '-', starting with a"
                + " letter or digit");
        }
        return new Pid(text, factory + "~" + instance, Optional.of(factory), Optional.of(instance));
    }

    /** The operator's name of a ConfigAdmin pid ({@code io.opsd.agent~web1} is {@code io.opsd.agent-web1}). */
    static String nameOf(String caPid) {
        int tilde = caPid.indexOf('~');
        return tilde < 0 ? caPid : caPid.substring(0, tilde) + "-" + caPid.substring(tilde + 1);
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
