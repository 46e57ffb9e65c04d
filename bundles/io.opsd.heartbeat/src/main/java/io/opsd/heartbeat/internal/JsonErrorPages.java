package io.opsd.heartbeat.internal;

import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.osgi.service.component.annotations.Component;

/**
 * Puts {@link JsonErrorHandler} in as the Jetty server's error handler on the embedded node (Felix HTTP Jetty 12).
 * Felix has no setting or service for the server's error handler; a {@link ConnectorFactory} is the one service it
 * calls with the {@link Server}, each time it starts Jetty (and again after a configuration change). Felix's own
 * handler is put back when this bundle goes. On Karaf (Pax Web) nothing asks for a ConnectorFactory, the imports are
 * optional, and this class is never loaded.
 */
@Component(service = ConnectorFactory.class)
public final class JsonErrorPages implements ConnectorFactory {

    @Override
    public Connector createConnector(Server server) {
        Request.Handler previous = server.getErrorHandler();
        JsonErrorHandler ours = new JsonErrorHandler();
        server.setErrorHandler(ours);
        return new ServerPassenger(server, () -> {
            if (server.getErrorHandler() == ours) {
                server.setErrorHandler(previous);
            }
        });
    }
}
