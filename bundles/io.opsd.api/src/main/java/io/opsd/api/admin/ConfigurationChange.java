package io.opsd.api.admin;

import java.util.List;

/**
 * The outcome of an update: the effective configuration after it (or as it would be, for a dry run or an invalid
 * update), every problem found, each naming its key, and whether it was applied.
 */
public record ConfigurationChange(ConfigurationView configuration, List<String> problems, boolean applied) {

    public ConfigurationChange {
        problems = List.copyOf(problems);
    }
}
