package io.opsd.health.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesNestedValuesWithEscapes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ready", false);
        m.put("n", 3);
        m.put("list", List.of("a\"b", "c\\d\n\u0001"));
        m.put("none", null);
        assertEquals("{\"ready\":false,\"n\":3,\"list\":[\"a\\\"b\",\"c\\\\d\\n\\u0001\"],\"none\":null}",
            Json.write(m));
    }
}
