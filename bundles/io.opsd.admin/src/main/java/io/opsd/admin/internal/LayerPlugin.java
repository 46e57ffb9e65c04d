package io.opsd.admin.internal;

import java.util.Dictionary;
import java.util.Map;

import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Overlays the admin layer onto what ConfigAdmin delivers (SCR asks through
 * {@code Configuration.getProcessedProperties}), so ConfigAdmin's store keeps only the operator file's values and a
 * later edit of the file keeps the admin overrides. A no-op for a pid without an admin layer; never throws.
 */
@Component(service = ConfigurationPlugin.class, property = ConfigurationPlugin.CM_RANKING + ":Integer=500")
public final class LayerPlugin implements ConfigurationPlugin {

    private static final Logger LOG = LoggerFactory.getLogger(LayerPlugin.class);

    private final AdminLayer layer;

    @Activate
    public LayerPlugin(@Reference AdminLayer layer) {
        this.layer = layer;
    }

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        try {
            Object pid = properties.get("service.pid");
            if (pid == null) {
                return;
            }
            Map<String, String> admin = layer.get(pid.toString());
            admin.forEach((k, v) -> {
                if (!ConfigurationAdministrationService.isReserved(k)) {
                    properties.put(k, v);
                }
            });
        } catch (RuntimeException e) {
            LOG.error("admin layer not applied to a configuration: {}", e.toString());
        }
    }
}
