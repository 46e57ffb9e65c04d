package io.opsd.api.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class TypedConfigurationTest {

    @interface Sample {
        String health_interval() default "10s";

        String[] mount__points() default {};

        boolean enabled() default true;

        int port() default 9091;
    }

    @Test
    void namesMapAsDsMapsThemAndTextIsConvertedOrTheDefaultGiven() {
        Sample s = TypedConfiguration.of(Sample.class, Map.of("health.interval", "5s", "mount_points", "/,/data",
            "enabled", " false "));
        assertEquals("5s", s.health_interval());
        assertArrayEquals(new String[] {"/,/data"}, s.mount__points());
        assertEquals(false, s.enabled());
        assertEquals(9091, s.port());
        assertTrue(s.toString().startsWith("Sample"));
    }

    @Test
    void aNumberThatIsNoneFailsWhereTheTypedReadWould() {
        Sample s = TypedConfiguration.of(Sample.class, Map.of("port", "nine"));
        assertThrows(NumberFormatException.class, s::port);
    }
}
