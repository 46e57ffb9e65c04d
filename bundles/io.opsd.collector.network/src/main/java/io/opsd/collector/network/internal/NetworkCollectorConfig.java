package io.opsd.collector.network.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.opsd.api.collector.CollectorSchedule;

@ObjectClassDefinition(name = "opsd network collector",
    description = "Bytes, packets, errors and drops per interface, and the bytes moved since the previous"
        + " collection. The Manager's totals count every interface, as the old daemon did; the per-interface series"
        + " and the selected_* keys leave virtual interfaces out.")
public @interface NetworkCollectorConfig {

    @AttributeDefinition(name = "Enabled", description = "false stops collecting and removes the network series.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Interval", description = CollectorSchedule.INTERVAL_DESCRIPTION
        + " The bytes received and sent (rx_bytes, tx_bytes) are counted over this interval.")
    String interval() default CollectorSchedule.DEFAULT_INTERVAL;

    @AttributeDefinition(name = "Timeout", description = CollectorSchedule.TIMEOUT_DESCRIPTION)
    String timeout() default CollectorSchedule.DEFAULT_TIMEOUT;

    @AttributeDefinition(name = "Interfaces", required = false,
        description = "Interfaces with their own series on /metrics and counted in the selected_* keys, separated by"
            + " commas, such as eth0,ens*; a trailing * matches names starting with what precedes it. Empty: every"
            + " interface not excluded. An interface listed by its exact name is selected even when an exclude"
            + " pattern matches it. The Manager's totals (bytes_recv, rx_bytes, interface_count, ...) always count"
            + " every interface.")
    String[] interfaces() default {};

    @AttributeDefinition(name = "Excluded interfaces", required = false,
        description = "Interfaces never selected unless listed by name in interfaces, separated by commas; a"
            + " trailing * matches names starting with what precedes it.")
    String[] exclude__interfaces() default {"lo", "veth*", "docker*", "br-*", "virbr*", "cni*", "flannel*", "cali*",
        "vxlan*", "kube*", "tun*", "tap*", "weave*", "podman*"};
}
