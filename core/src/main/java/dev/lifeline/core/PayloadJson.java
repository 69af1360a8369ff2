package dev.lifeline.core;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes event payloads (maps of strings, numbers, booleans, lists, maps and {@link RawJson}) as
 * JSON text, so that the store and every sink render the same bytes without a JSON library here.
 */
public final class PayloadJson {
    private PayloadJson() {}

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value) {
        switch (value) {
            case RawJson raw -> out.append(raw.json());
            case String s -> quote(out, s);
            case Number n -> out.append(n);
            case Boolean b -> out.append(b);
            case Map<?, ?> map -> appendMap(out, map);
            case List<?> list -> appendList(out, list);
            default -> quote(out, value.toString());
        }
    }

    private static void appendMap(StringBuilder out, Map<?, ?> map) {
        out.append('{');
        Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<?, ?> e = it.next();
            quote(out, String.valueOf(e.getKey()));
            out.append(':');
            Object v = e.getValue();
            if (v == null) {
                out.append("null");
            } else {
                append(out, v);
            }
            if (it.hasNext()) {
                out.append(',');
            }
        }
        out.append('}');
    }

    private static void appendList(StringBuilder out, List<?> list) {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            Object v = list.get(i);
            if (v == null) {
                out.append("null");
            } else {
                append(out, v);
            }
            if (i < list.size() - 1) {
                out.append(',');
            }
        }
        out.append(']');
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
