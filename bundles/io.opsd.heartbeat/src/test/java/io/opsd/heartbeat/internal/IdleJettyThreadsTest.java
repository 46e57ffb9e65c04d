package io.opsd.heartbeat.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

class IdleJettyThreadsTest {

    @Test
    void thePoolMayShrinkToThreeThreadsAndGetsItsSettingsBackWhenTheBundleGoes() throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(); // what Felix builds: Jetty's minimum of 8
        Server server = new Server(pool);
        int min = pool.getMinThreads();
        int evict = pool.getMaxEvictCount();

        Connector passenger = new IdleJettyThreads().createConnector(server);

        assertEquals(3, pool.getMinThreads());
        assertEquals(min, pool.getMaxEvictCount(), "every idle thread above the minimum may end in one period");
        passenger.start(); // Felix starts the connectors it is handed
        assertEquals(0, server.getConnectors().length, "no endpoint of its own");
        passenger.stop(); // Felix stops it when the factory goes
        assertEquals(min, pool.getMinThreads());
        assertEquals(evict, pool.getMaxEvictCount());
    }

    @Test
    void aPoolAlreadySmallerIsLeftAsItIs() throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(16, 2);
        Server server = new Server(pool);

        Connector passenger = new IdleJettyThreads().createConnector(server);
        passenger.start();
        passenger.stop();

        assertEquals(2, pool.getMinThreads());
    }
}
