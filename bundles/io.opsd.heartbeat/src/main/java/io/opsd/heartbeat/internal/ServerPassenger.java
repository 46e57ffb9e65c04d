package io.opsd.heartbeat.internal;

import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;

/**
 * A connector that carries nothing but a change made to Felix's Jetty server: what a {@code ConnectorFactory} hands
 * back when it was only after the {@link Server}. It listens nowhere and leaves the server as soon as Felix starts it,
 * so Felix's endpoint list stays the real one; Felix stops it when the factory's bundle goes, and {@code onStop} then
 * undoes the change.
 */
final class ServerPassenger extends LocalConnector {

    private final Runnable onStop;

    ServerPassenger(Server server, Runnable onStop) {
        super(server, null, null, null, 0);
        this.onStop = onStop;
    }

    @Override
    protected void doStart() {
        getServer().removeConnector(this); // no acceptor, no endpoint: nothing of it starts
    }

    @Override
    protected void doStop() {
        onStop.run();
    }
}
