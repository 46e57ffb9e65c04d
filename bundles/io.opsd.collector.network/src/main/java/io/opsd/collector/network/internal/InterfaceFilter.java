package io.opsd.collector.network.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which interfaces the collector selects for its per-interface series and {@code selected_*} keys. A pattern ending
 * in {@code *} matches the names that start with what precedes it; any other pattern matches one name. An
 * interface is selected when {@code include} names it exactly, or when it matches {@code include} (everything, when
 * {@code include} is empty) and no pattern of {@code exclude}.
 */
final class InterfaceFilter {

    private final Patterns include;
    private final Patterns exclude;

    InterfaceFilter(List<String> include, List<String> exclude) {
        this.include = new Patterns(include);
        this.exclude = new Patterns(exclude);
    }

    boolean includes(String name) {
        if (include.names.contains(name)) {
            return true;
        }
        return (include.isEmpty() || include.matches(name)) && !exclude.matches(name);
    }

    /** Exact names and prefixes, split once so that matching allocates nothing. */
    private static final class Patterns {
        private final Set<String> names = new HashSet<>();
        private final List<String> prefixes = new ArrayList<>();

        Patterns(List<String> patterns) {
            for (String pattern : patterns) {
                if (pattern.endsWith("*")) {
                    prefixes.add(pattern.substring(0, pattern.length() - 1));
                } else {
                    names.add(pattern);
                }
            }
        }

        boolean isEmpty() {
            return names.isEmpty() && prefixes.isEmpty();
        }

        boolean matches(String name) {
            if (names.contains(name)) {
                return true;
            }
            for (String prefix : prefixes) {
                if (name.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }
    }
}
