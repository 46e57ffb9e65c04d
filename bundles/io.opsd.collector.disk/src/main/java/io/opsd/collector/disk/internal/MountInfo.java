package io.opsd.collector.disk.internal;

import java.util.ArrayList;
import java.util.List;

/** Parses {@code /proc/self/mountinfo}: one {@link Mount} per line, in the kernel's order. */
final class MountInfo {

    private MountInfo() {
    }

    /**
     * One mount.
     *
     * @param device the device number as {@code major:minor}, the same for every mount of one file system
     * @param mountPoint where it is mounted, with the kernel's octal escapes ({@code \040}) decoded
     * @param fsType the file system type, such as {@code ext4} or {@code fuse.lxcfs}
     * @param source what was mounted, such as {@code /dev/mapper/vg-root} or {@code tmpfs}
     */
    record Mount(String device, String mountPoint, String fsType, String source) {
    }

    /** The mounts of {@code text}; lines that do not have the mountinfo shape are skipped. */
    static List<Mount> parse(String text) {
        List<Mount> mounts = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            Mount mount = line(text.substring(start, end));
            if (mount != null) {
                mounts.add(mount);
            }
            start = end + 1;
        }
        return mounts;
    }

    // id parent major:minor root mount-point options [optional fields...] - fstype source super-options
    private static Mount line(String line) {
        String[] f = line.split(" ");
        if (f.length < 10) {
            return null;
        }
        for (int i = 6; i < f.length - 2; i++) {
            if (f[i].equals("-")) {
                return new Mount(f[2], unescape(f[4]), f[i + 1], unescape(f[i + 2]));
            }
        }
        return null;
    }

    /** Decodes the kernel's escapes of space, tab, newline and backslash: a backslash and three octal digits. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1) && isOctal(field, i + 2) && isOctal(field, i + 3)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int at) {
        return at < s.length() && s.charAt(at) >= '0' && s.charAt(at) <= '7';
    }
}
