package io.opsd.grpc.tls;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One {@code -----BEGIN label-----} block of a PEM file: its RFC 1421 headers and its decoded bytes. */
record PemBlock(String label, Map<String, String> headers, byte[] der) {

    private static final Pattern BLOCK = Pattern.compile(
        "-----BEGIN ([A-Z0-9 ]+)-----\\R(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final Pattern HEADER = Pattern.compile("([A-Za-z-]+):\\s*(.*)");

    /** Every block of {@code text}, in order; text around and between blocks is ignored, as openssl does. */
    static List<PemBlock> all(String text) {
        List<PemBlock> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            Map<String, String> headers = new LinkedHashMap<>();
            StringBuilder body = new StringBuilder();
            for (String line : m.group(2).split("\\R")) {
                Matcher h = HEADER.matcher(line.strip());
                if (body.isEmpty() && h.matches()) {
                    headers.put(h.group(1), h.group(2).strip());
                } else {
                    body.append(line.strip());
                }
            }
            blocks.add(new PemBlock(m.group(1), headers, Base64.getMimeDecoder().decode(body.toString())));
        }
        return blocks;
    }

    boolean encrypted() {
        return label.startsWith("ENCRYPTED") || headers.getOrDefault("Proc-Type", "").endsWith("ENCRYPTED");
    }
}
