package io.opsd.health.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class ReadyAnnouncementTest {

    @Test
    void theHttpEndpointIsShownAsHostAndPortWhateverShapeTheServerGivesIt() {
        assertEquals("127.0.0.1:8084", ReadyAnnouncement.hostAndPort(new String[] {"http://127.0.0.1:8084/"}));
        assertEquals("127.0.0.1:8084", ReadyAnnouncement.hostAndPort("http://127.0.0.1:8084/"));
        assertEquals("[::1]:8181", ReadyAnnouncement.hostAndPort(List.of("http://[::1]:8181/", "http://x:1/")));
        assertEquals("", ReadyAnnouncement.hostAndPort(new String[0]));
        assertEquals("", ReadyAnnouncement.hostAndPort(null));
    }
}
