package io.opsd.heartbeat.internal;

import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.osgi.service.component.annotations.Component;

/**
 * Lets the embedded node's Jetty pool shrink to a few threads when idle. Felix HTTP builds it with Jetty's default
 * minimum of 8 threads and has no setting for the minimum (only for the maximum, which would also cap a busy node).
 * Load still grows the pool up to its maximum; idle threads above {@link #MIN_THREADS} end after the pool's idle
 * timeout, all in one period instead of Jetty's default of one per period. Undone when this bundle goes. Found
 * through the {@link ConnectorFactory} hook, like {@link JsonErrorPages}; never loaded on Karaf.
 */
@Component(service = ConnectorFactory.class)
public final class IdleJettyThreads implements ConnectorFactory {

    /** The acceptor, the selector and one worker. */
    static final int MIN_THREADS = 3;

    @Override
    public Connector createConnector(Server server) {
        if (!(server.getThreadPool() instanceof QueuedThreadPool pool) || pool.getMinThreads() <= MIN_THREADS) {
            return new ServerPassenger(server, () -> { });
        }
        int min = pool.getMinThreads();
        int evict = pool.getMaxEvictCount();
        pool.setMinThreads(MIN_THREADS);
        pool.setMaxEvictCount(min);
        return new ServerPassenger(server, () -> {
            pool.setMinThreads(min);
            pool.setMaxEvictCount(evict);
        });
    }
}
