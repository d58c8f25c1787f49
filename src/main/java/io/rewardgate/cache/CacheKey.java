package io.rewardgate.cache;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.Message;

/**
 * SHA-256 over a canonical encoding of backend id, model, what else changes the backend's answers, the
 * conversation's principle, and the role/content pairs in order. Every field is
 * length-prefixed, so no two different conversations encode alike (no separator can be forged), and the two
 * input forms of one conversation, which both become the same {@link Conversation}, share a key. The digest is
 * held as four longs: the cache keeps many keys. The model's id rides along for metrics; the digest covers it.
 */
public record CacheKey(long h0, long h1, long h2, long h3, String model) {

    private static final byte[] VERSION = "rewardgate-cache-key-v1".getBytes(StandardCharsets.UTF_8);
    /** Marks a key scoped to one client: no unscoped key's fields can begin with it (a backend id never does). */
    private static final byte[] SCOPE = "\u0000client".getBytes(StandardCharsets.UTF_8);
    /** Marks the backend's variant and the conversation's principle: no role's name begins with it. */
    private static final byte[] VARIANT = "\u0000variant".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PRINCIPLE = "\u0000principle".getBytes(StandardCharsets.UTF_8);

    public static CacheKey of(String backendId, String model, Conversation conversation) {
        return of(backendId, model, conversation, null);
    }

    /**
     * The key of a conversation in {@code scope}: the client key whose cache it is when keys keep their caches
     * apart, or {@code null} for the one cache everyone shares.
     */
    public static CacheKey of(String backendId, String model, Conversation conversation, String scope) {
        return of(backendId, model, "", conversation, scope);
    }

    /**
     * The key of a conversation in {@code scope} for a backend whose answers also depend on {@code variant}
     * ({@code RewardBackend.variant()}); an empty variant and no principle give the key they always gave.
     */
    public static CacheKey of(String backendId, String model, String variant, Conversation conversation,
            String scope) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        field(out, VERSION);
        if (scope != null) {
            field(out, SCOPE);
            field(out, scope.getBytes(StandardCharsets.UTF_8));
        }
        field(out, backendId.getBytes(StandardCharsets.UTF_8));
        field(out, model.getBytes(StandardCharsets.UTF_8));
        if (!variant.isEmpty()) {
            field(out, VARIANT);
            field(out, variant.getBytes(StandardCharsets.UTF_8));
        }
        if (conversation.principle() != null) {
            field(out, PRINCIPLE);
            field(out, conversation.principle().getBytes(StandardCharsets.UTF_8));
        }
        for (Message message : conversation.messages()) {
            field(out, message.role().wire().getBytes(StandardCharsets.UTF_8));
            field(out, message.content().getBytes(StandardCharsets.UTF_8));
        }
        ByteBuffer digest = ByteBuffer.wrap(newDigest().digest(out.toByteArray()));
        return new CacheKey(digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong(), model);
    }

    /** The digest as 64 lower-case hex digits. */
    public String sha256() {
        return HexFormat.of().toHexDigits(h0) + HexFormat.of().toHexDigits(h1)
                + HexFormat.of().toHexDigits(h2) + HexFormat.of().toHexDigits(h3);
    }

    @Override
    public String toString() {
        return "CacheKey[" + sha256() + "]";
    }

    private static void field(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
