package io.opsd.grpc.tls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The little DER that turning PKCS#1 and SEC1 keys into PKCS#8 needs: split a SEQUENCE, build one. */
final class Der {

    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int SEQUENCE = 0x30;
    static final int CONTEXT_0 = 0xA0;

    /** rsaEncryption (1.2.840.113549.1.1.1) and id-ecPublicKey (1.2.840.10045.2.1), encoded with tag and length. */
    static final byte[] RSA_ENCRYPTION = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01,
        0x01, 0x01};
    static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};

    /** A tag with its content. */
    record Element(int tag, byte[] content) {
    }

    private Der() {
    }

    /** The elements inside the SEQUENCE that {@code der} is; throws when it is none. */
    static List<Element> sequence(byte[] der) {
        Element outer = read(der, 0);
        if (outer.tag() != SEQUENCE) {
            throw new IllegalArgumentException("not a DER SEQUENCE");
        }
        List<Element> elements = new ArrayList<>();
        byte[] c = outer.content();
        for (int at = 0; at < c.length;) {
            Element e = read(c, at);
            elements.add(e);
            at += encodedLength(e);
        }
        return elements;
    }

    static byte[] encode(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.size();
        if (length < 0x80) {
            out.write(length);
        } else {
            byte[] digits = java.math.BigInteger.valueOf(length).toByteArray();
            int skip = digits[0] == 0 ? 1 : 0;
            out.write(0x80 | (digits.length - skip));
            out.write(digits, skip, digits.length - skip);
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    /** The element with its tag and length, as it was read. */
    static byte[] encoded(Element e) {
        return encode(e.tag(), e.content());
    }

    private static Element read(byte[] der, int at) {
        if (at + 2 > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        int tag = der[at] & 0xFF;
        int length = der[at + 1] & 0xFF;
        int start = at + 2;
        if (length >= 0x80) {
            int digits = length & 0x7F;
            if (digits == 0 || digits > 3 || start + digits > der.length) {
                throw new IllegalArgumentException("unsupported DER length");
            }
            length = 0;
            for (int i = 0; i < digits; i++) {
                length = (length << 8) | (der[start + i] & 0xFF);
            }
            start += digits;
        }
        if (start + length > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        return new Element(tag, Arrays.copyOfRange(der, start, start + length));
    }

    private static int encodedLength(Element e) {
        return encoded(e).length;
    }
}
