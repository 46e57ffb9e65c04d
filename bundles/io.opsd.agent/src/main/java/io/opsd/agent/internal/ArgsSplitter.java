package io.opsd.agent.internal;

import java.util.ArrayList;
import java.util.List;

/** Splits the {@code args} key on blanks; double quotes group words and are removed. Nothing is expanded. */
final class ArgsSplitter {

    private ArgsSplitter() {
    }

    static List<String> split(String args) {
        List<String> out = new ArrayList<>();
        if (args == null) {
            return out;
        }
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                inWord = true;
            } else if (!quoted && Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if (c == 0) {
                throw new IllegalArgumentException("contains a NUL character");
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("has an unclosed double quote");
        }
        if (inWord) {
            out.add(word.toString());
        }
        return out;
    }
}
