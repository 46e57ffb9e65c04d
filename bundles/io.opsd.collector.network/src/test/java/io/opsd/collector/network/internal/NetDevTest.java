package io.opsd.collector.network.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class NetDevTest {

    @Test
    void readsTheReceiveAndTransmitCountersOfEveryInterface() {
        List<InterfaceCounters> interfaces = NetDev.parse("""
            Inter-|   Receive                                          |  Transmit
             face |bytes packets errs drop fifo frame compressed multicast|bytes packets errs drop fifo colls carrier compressed
                lo:  280832    4476    0    0    0     0     0     0   280832    4476    0    0    0     0     0     0
              eth0: 236772145    9574    1    2    0     0     0     0  1503420    8920    3    4    0     0     0     0
            """);
        assertEquals(List.of(new InterfaceCounters("lo", 280832, 4476, 0, 0, 280832, 4476, 0, 0),
            new InterfaceCounters("eth0", 236772145, 9574, 1, 2, 1503420, 8920, 3, 4)), interfaces);
    }

    @Test
    void readsANumberWrittenRightAfterTheColon() {
        // old kernels print "eth0:1234567" when the name and the first number fill the column
        List<InterfaceCounters> interfaces = NetDev.parse("eth0:1234567 10 0 0 0 0 0 0 7654321 20 0 0 0 0 0 0\n");
        assertEquals(1234567, interfaces.get(0).receivedBytes());
        assertEquals(7654321, interfaces.get(0).sentBytes());
    }

    @Test
    void skipsLinesOfAnotherShape() {
        assertEquals(List.of(), NetDev.parse("\nbroken: 1 2 3\neth0: a b c d e f g h i j k l m n o p\n"));
    }
}
