package io.opsd.heartbeat.internal;

import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.osgi.service.component.annotations.Component;

/**
 * Puts {@link JsonErrorHandler} in as the Jetty server's error handler on the embedded node (Felix HTTP Jetty 12).
 * Felix has no setting or service for the server's error handler; a {@link ConnectorFactory} is the one service it
 * calls with the {@link Server}, each time it starts Jetty (and again after a configuration change). The connector
 * handed back listens nowhere and leaves the server as soon as Felix starts it, so Felix's endpoint list stays the
 * real one. Felix stops it when this bundle goes: Felix's own handler is put back then. On Karaf (Pax Web) nothing
 * asks for a ConnectorFactory, the imports are optional, and this class is never loaded.
 */
@Component(service = ConnectorFactory.class)
public final class JsonErrorPages implements ConnectorFactory {

    @Override
    public Connector createConnector(Server server) {
        Request.Handler previous = server.getErrorHandler();
        JsonErrorHandler ours = new JsonErrorHandler();
        server.setErrorHandler(ours);
        return new Carrier(server, previous, ours);
    }

    /** A connector that carries nothing but the error handler's lifetime. */
    private static final class Carrier extends LocalConnector {

        private final Request.Handler previous;
        private final Request.Handler ours;

        Carrier(Server server, Request.Handler previous, Request.Handler ours) {
            super(server, null, null, null, 0);
            this.previous = previous;
            this.ours = ours;
        }

        @Override
        protected void doStart() {
            getServer().removeConnector(this); // no acceptor, no endpoint: nothing of it starts
        }

        @Override
        protected void doStop() {
            if (getServer().getErrorHandler() == ours) {
                getServer().setErrorHandler(previous);
            }
        }
    }
}
