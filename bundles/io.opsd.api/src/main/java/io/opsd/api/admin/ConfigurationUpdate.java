package io.opsd.api.admin;

import java.util.List;
import java.util.Map;

/** A change to the admin layer of one pid: keys to set (values as .cfg text), keys to drop, or only a check. */
public record ConfigurationUpdate(String pid, Map<String, String> set, List<String> remove, boolean dryRun) {

    public ConfigurationUpdate {
        set = Map.copyOf(set);
        remove = List.copyOf(remove);
    }
}
