package io.opsd.api.admin;

import java.util.List;
import java.util.Map;

/**
 * One configuration as the operator names it ({@code io.opsd.collector.cpu}, {@code io.opsd.agent-web1}): its
 * effective values as .cfg text with secrets as {@code ***}, where they come from ({@code file}, {@code admin},
 * {@code file+admin}) and the attributes of its metatype, where there is one.
 */
public record ConfigurationView(String pid, Map<String, String> properties, String source,
                                List<AttributeView> attributes) {

    public static final String SECRET = "***";

    public ConfigurationView {
        properties = Map.copyOf(properties);
        attributes = List.copyOf(attributes);
    }
}
