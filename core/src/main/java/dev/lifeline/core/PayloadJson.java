package dev.lifeline.core;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes event payloads (maps of strings, numbers, booleans, lists, maps and nulls) as JSON text,
 * without a JSON library here. Every value is written by its type, so the output is always exactly
 * one JSON value; a number JSON cannot hold (NaN, an infinity) is written as {@code null}.
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
            case String s -> quote(out, s);
            case Double d when !Double.isFinite(d) -> out.append("null");
            case Float f when !Float.isFinite(f) -> out.append("null");
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
