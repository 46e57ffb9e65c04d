package io.opsd.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "opsd metadata store",
    description = "Agent metadata and resource history, kept in memory and written to data/agents/.")
public @interface StoreConfig {

    @AttributeDefinition(name = "History retention", description = "Resource samples older than this are dropped,"
        + " such as 24h (1m to 30d).")
    String history__retention() default "24h";

    @AttributeDefinition(name = "History points", description = "Most resource samples kept per agent (10 to"
        + " 100000); the oldest go first.")
    int history__max__points() default 1440;

    @AttributeDefinition(name = "Flush interval", description = "Changes are written at most once per agent per"
        + " interval, such as 1s (10ms to 1h). A heartbeat storm costs one write per agent per interval.")
    String flush__interval() default "1s";

    @AttributeDefinition(name = "History flush interval", description = "Resource history is written at most once"
        + " per agent per interval, such as 60s (1s to 1h); what was sampled since is lost in a crash.")
    String history__flush__interval() default "60s";
}
