package io.opsd.api.admin;

import java.util.List;

/**
 * The node's configuration in two layers: the operator's files in {@code runtime-config/} (never written) and the
 * admin layer under {@code <data>/admin/}, which overrides them key by key and survives restarts.
 */
public interface ConfigurationAdministration {

    /** The configurations whose pid starts with {@code pidPrefix} (all for an empty prefix), sorted by pid. */
    List<ConfigurationView> configurations(String pidPrefix);

    /**
     * Validates the update against the metatype and the component's own checks; a valid one (not a dry run) is
     * applied and answered once the component has taken it. An invalid update changes nothing and answers with its
     * problems, {@code applied = false}.
     *
     * @throws AdminException FAILED_PRECONDITION when the component refused the new values (the admin layer is put
     *     back as it was), INVALID_ARGUMENT for a malformed pid
     */
    ConfigurationChange update(Caller caller, ConfigurationUpdate update) throws AdminException;

    /**
     * Drops the admin layer of {@code pid}: the file's values apply again; a pid that lived only in the admin layer
     * goes away. Returns false when the pid had no admin layer.
     */
    boolean delete(Caller caller, String pid) throws AdminException;
}
