package io.rewardgate.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A set of client keys, held as SHA-256 digests only: the keys themselves are not kept, and a presented key
 * is compared with every stored digest in constant time, so neither the answer's timing nor a heap dump
 * tells a key.
 */
public final class ApiKeys {

    /** Shortest key accepted: a short key is a guessable key. */
    static final int MIN_KEY_LENGTH = 16;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final List<Entry> entries;

    /** @param legacyName the name an earlier version gave a bare key, by its position; {@code null} for a named key */
    private record Entry(String name, byte[] digest, String legacyName) {}

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Parses {@code name=key} entries separated by commas or line breaks; blank entries and lines starting
     * with {@code #} are skipped. A bare {@code key} is named after a digest of it ({@code key-} and 12 hex
     * digits), never after its position, so that removing one line renames no other key and hands no client's
     * files and batches to another; the name tells nothing of the key. Failures name the entry by position,
     * never by its key.
     */
    public static ApiKeys parse(String text) {
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> digests = new HashSet<>();
        int position = 0;
        for (String raw : text.split("[,\\r\\n]")) {
            String entry = raw.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            position++;
            int equals = entry.indexOf('=');
            String key = equals < 0 ? entry : entry.substring(equals + 1).strip();
            String name = equals < 0 ? bareName(key) : entry.substring(0, equals).strip();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("API key entry " + position
                        + ": its name must be 1 to 64 letters, digits, '.', '_' or '-'");
            }
            if (key.length() < MIN_KEY_LENGTH || key.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("API key entry " + position
                        + (equals < 0 ? "" : " (" + name + ")") + ": the key must have at least "
                        + MIN_KEY_LENGTH + " characters and no spaces");
            }
            byte[] digest = digest(key);
            if (!names.add(name)) {
                throw new IllegalArgumentException("API key entry " + position + ": the name " + name + " is used twice");
            }
            if (!digests.add(new String(digest, StandardCharsets.ISO_8859_1))) {
                throw new IllegalArgumentException("API key entry " + position + " (" + name + "): the key is used twice");
            }
            entries.add(new Entry(name, digest, equals < 0 ? "key-" + position : null));
        }
        return new ApiKeys(entries);
    }

    /**
     * The names an earlier version gave the bare keys ({@code key-1}, {@code key-2}: their positions in this
     * text), each with the name they have now, for the files and batches stored under the old names. A position
     * name that a named key uses now is left out: it is that key's.
     */
    public Map<String, String> legacyNames() {
        Map<String, String> renames = new LinkedHashMap<>();
        Set<String> names = new HashSet<>(names());
        for (Entry entry : entries) {
            if (entry.legacyName != null && !names.contains(entry.legacyName)) {
                renames.put(entry.legacyName, entry.name);
            }
        }
        return renames;
    }

    /** A bare key's name: a digest of it, in its own domain, so that it matches no digest stored elsewhere. */
    private static String bareName(String key) {
        return "key-" + HexFormat.of().formatHex(digest("rewardgate key name\n" + key), 0, 6);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The configured names, for metrics. */
    public List<String> names() {
        return entries.stream().map(Entry::name).toList();
    }

    /** The name of the key presented, or {@code null} when it matches none. */
    public String nameOf(String presented) {
        if (presented == null) {
            return null;
        }
        byte[] digest = digest(presented);
        String match = null;
        for (Entry entry : entries) {
            // No early exit: every digest is compared, whichever matches.
            if (MessageDigest.isEqual(entry.digest, digest)) {
                match = entry.name;
            }
        }
        return match;
    }

    /** A digest of a key file's text, to tell when it changed. */
    static String fingerprint(String text) {
        return HexFormat.of().formatHex(digest(text));
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
