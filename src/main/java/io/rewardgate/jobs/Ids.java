package io.rewardgate.jobs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Ids in OpenAI's forms ({@code file-...}, {@code batch_...}, {@code batch_req_...}), random and unguessable. */
public final class Ids {

    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SAFE = Pattern.compile("(file-|batch_)[0-9A-Za-z]{24}");

    private Ids() {}

    public static String file() {
        return "file-" + random(24);
    }

    /**
     * The id of a file a batch writes ({@code role} tells which): the same each time the batch is finalized, so
     * that finalizing again after a kill replaces the files instead of leaving orphans. Unguessable as the
     * batch's id is.
     */
    static String file(String batchId, String role) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((batchId + "/" + role).getBytes(StandardCharsets.UTF_8));
            char[] text = new char[24];
            for (int i = 0; i < text.length; i++) {
                text[i] = ALPHABET[(digest[i] & 0xff) % ALPHABET.length];
            }
            return "file-" + new String(text);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public static String batch() {
        return "batch_" + random(24);
    }

    /** The id of one line's result in a batch's output. */
    public static String result() {
        return "batch_req_" + random(24);
    }

    /** The id of the request a line was answered as, as a synchronous answer's would be. */
    public static String request() {
        return "req_" + random(24);
    }

    /** Whether {@code id} has the form this service gives: only such ids ever name a path on disk. */
    public static boolean wellFormed(String id) {
        return id != null && SAFE.matcher(id).matches();
    }

    /** An id as an error message may repeat it: a client's text, cut short. */
    static String shown(String id) {
        String text = String.valueOf(id).replaceAll("\\p{Cntrl}", "?");
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }

    private static String random(int length) {
        char[] text = new char[length];
        for (int i = 0; i < length; i++) {
            text[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(text);
    }
}
