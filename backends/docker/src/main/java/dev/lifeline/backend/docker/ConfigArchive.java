package dev.lifeline.backend.docker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tar archive of flat config files, the format the daemon takes to copy files into a container.
 * Only what this backend writes is supported: regular files with short names, owned by root.
 */
final class ConfigArchive {
    private static final int BLOCK = 512;

    private ConfigArchive() {}

    /** One text file of the archive; {@code mode} is its Unix permission bits, such as 0600. */
    record Entry(String text, int mode) {
        byte[] content() {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }

    static byte[] of(Map<String, Entry> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TreeMap<>(files).forEach((name, entry) -> {
            byte[] content = entry.content();
            out.writeBytes(header(name, entry.mode(), content.length));
            out.writeBytes(content);
            out.writeBytes(new byte[padding(content.length)]);
        });
        out.writeBytes(new byte[2 * BLOCK]); // end of archive
        return out.toByteArray();
    }

    private static byte[] header(String name, int mode, int size) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 99 || name.contains("/") || name.isEmpty()) {
            throw new IllegalArgumentException("config file names must be flat and shorter than 100 bytes: " + name);
        }
        byte[] header = new byte[BLOCK];
        System.arraycopy(nameBytes, 0, header, 0, nameBytes.length);
        octal(header, 100, 8, mode);
        octal(header, 108, 8, 0); // uid
        octal(header, 116, 8, 0); // gid
        octal(header, 124, 12, size);
        octal(header, 136, 12, 0); // mtime
        header[156] = '0'; // regular file
        ascii(header, 257, "ustar\0");
        ascii(header, 263, "00");
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        octal(header, 148, 7, sum);
        return header;
    }

    /** Writes {@code value} as zero-padded octal digits followed by a NUL, filling {@code width}. */
    private static void octal(byte[] header, int offset, int width, long value) {
        String digits = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, width - 1 - digits.length())) + digits;
        ascii(header, offset, padded + "\0");
    }

    private static void ascii(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    private static int padding(int length) {
        return (BLOCK - length % BLOCK) % BLOCK;
    }
}
