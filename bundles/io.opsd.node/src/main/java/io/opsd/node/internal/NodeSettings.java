package io.opsd.node.internal;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.opsd.api.config.ConfigCheck;

/** The validated {@code io.opsd.node} configuration. */
record NodeSettings(Optional<String> id, Map<String, String> labels, Optional<String> advertiseAddress) {

    static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");
    private static final Pattern HOST_OR_IP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:%-]{0,252}");

    /** Validates {@code config}; throws {@code InvalidConfigurationException} naming the file and key. */
    static NodeSettings of(NodeConfig config, Map<String, Object> props) {
        ConfigCheck check = ConfigCheck.of(props);
        String id = config.id() == null ? "" : config.id().trim();
        if (!id.isEmpty() && !NODE_ID.matcher(id).matches()) {
            throw check.invalid("id", id, "is not a valid node id; use 1 to 128 letters, digits, '.', '_', ':' or '-',"
                + " starting with a letter or digit, or leave it empty to use the generated one");
        }
        Map<String, String> labels = check.keyValues("labels", config.labels());
        String address = config.advertise__address() == null ? "" : config.advertise__address().trim();
        if (!address.isEmpty() && !HOST_OR_IP.matcher(address).matches()) {
            throw check.invalid("advertise_address", address, "is not an IP address or host name;"
                + " leave it empty to advertise the primary IP");
        }
        return new NodeSettings(id.isEmpty() ? Optional.empty() : Optional.of(id), labels,
            address.isEmpty() ? Optional.empty() : Optional.of(address));
    }
}
