package dev.reprise.ingest.anon;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces identities (client addresses, session ids) with keyed pseudonyms: the first 8 bytes of
 * HMAC-SHA256(key, UTF-8 value) as 16 lowercase hex characters. The same key gives the same
 * pseudonym for the same value, so sessions and joins survive; without the key an address cannot be
 * recovered by hashing all 2^32 IPv4 addresses, which a plain hash would allow.
 *
 * <p>Thread-safe: each thread gets its own {@link Mac} (created once, reused) and its own small
 * cache of recent pseudonyms, since client addresses repeat on consecutive lines.
 */
public final class Anonymizer {
    /** Length of a pseudonym in hex characters (64 bits). */
    public static final int PSEUDONYM_CHARS = 16;

    private static final String ALGORITHM = "HmacSHA256";
    /** Domain separation for keys derived from a user salt, so a salt is never used as a key directly. */
    private static final byte[] SALT_KEY_LABEL = "reprise anonymization salt v1".getBytes(StandardCharsets.US_ASCII);
    private static final int CACHE_SLOTS = 4096; // power of two
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** An e-mail address, also with its '@' URL-encoded as %40. */
    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    /** 13 to 19 digits in a row: the length of payment card numbers. */
    private static final Pattern DIGIT_RUN = Pattern.compile("(?<![0-9])[0-9]{13,19}(?![0-9])");
    /**
     * Query parameters whose values are secrets or identities, matched as a part of the lower-cased
     * name ({@code access_token}, {@code userEmail}, {@code api_key}, {@code X-Amz-Signature}).
     */
    public static final java.util.List<String> SENSITIVE_PARAMETER_PARTS = java.util.List.of("token", "password",
            "passwd", "pwd", "email", "mail", "key", "secret", "auth", "session", "sessid", "sid", "sig", "credential",
            "otp", "ssn", "card");
    private static final Pattern IPV4 = Pattern.compile("(?<![0-9.])(?:[0-9]{1,3}\\.){3}[0-9]{1,3}(?![0-9]|\\.[0-9])");
    private static final Pattern IPV6_CANDIDATE = Pattern.compile(
            "(?<![0-9A-Za-z:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Za-z:])");

    private final SecretKeySpec key;
    private final ThreadLocal<PerThread> perThread;
    private final String[] sensitiveParts; // lower case

    private Anonymizer(byte[] keyBytes) {
        this(new SecretKeySpec(keyBytes.clone(), ALGORITHM), SENSITIVE_PARAMETER_PARTS);
    }

    private Anonymizer(SecretKeySpec key, java.util.List<String> sensitiveParts) {
        this.key = key;
        this.perThread = ThreadLocal.withInitial(() -> new PerThread(newMac(key)));
        this.sensitiveParts = sensitiveParts.stream().map(p -> p.toLowerCase(java.util.Locale.ROOT))
                .toArray(String[]::new);
    }

    /**
     * The same pseudonyms, masking the query parameters whose lower-cased name contains one of
     * {@code parts} instead of {@link #SENSITIVE_PARAMETER_PARTS} (an empty list masks none).
     */
    public Anonymizer withSensitiveParameters(java.util.List<String> parts) {
        Objects.requireNonNull(parts, "parts");
        for (String part : parts) {
            if (part == null || part.isBlank()) {
                throw new IllegalArgumentException("a sensitive parameter part must not be blank");
            }
        }
        return new Anonymizer(key, parts);
    }

    /** The parts of query parameter names whose values {@link #scrubQuery} masks, lower case. */
    public java.util.List<String> sensitiveParameters() {
        return java.util.List.of(sensitiveParts);
    }

    /** Pseudonyms keyed by {@code key} (the store's key: {@code Store.anonymizationKey()}). */
    public static Anonymizer withKey(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length < 16) {
            throw new IllegalArgumentException("an anonymization key needs at least 16 bytes, got " + key.length);
        }
        return new Anonymizer(key);
    }

    /**
     * Pseudonyms keyed by a user's salt: key = HMAC-SHA256("reprise anonymization salt v1", salt).
     * The same salt gives the same pseudonyms in every store, so separate stores can be joined.
     */
    public static Anonymizer fromSalt(String salt) {
        Objects.requireNonNull(salt, "salt");
        Mac mac = newMac(new SecretKeySpec(SALT_KEY_LABEL, ALGORITHM));
        return new Anonymizer(mac.doFinal(salt.getBytes(StandardCharsets.UTF_8)));
    }

    /** The pseudonym of {@code value}; null stays null. */
    public String pseudonym(String value) {
        if (value == null) {
            return null;
        }
        return perThread.get().pseudonym(value);
    }

    /**
     * Pseudonymizes each member of a comma-separated address list ({@code X-Forwarded-For}), keeping
     * {@code -} members and the list's shape: {@code "1.2.3.4, 10.0.0.1"} becomes
     * {@code "<p1>, <p2>"}, where p1 equals {@code pseudonym("1.2.3.4")}.
     */
    public String pseudonymizeList(String list) {
        if (list == null) {
            return null;
        }
        if (list.indexOf(',') < 0) {
            String member = list.strip();
            return member.equals("-") ? member : pseudonym(member);
        }
        StringBuilder out = new StringBuilder(list.length());
        int start = 0;
        while (start <= list.length()) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? list.length() : comma;
            String member = list.substring(start, end).strip();
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(member.isEmpty() || member.equals("-") ? member : pseudonym(member));
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        return out.toString();
    }

    /**
     * Masks what a URL path can leak: e-mail addresses (also with {@code %40}) and card-like digit
     * runs (13–19 digits passing the Luhn check) become their pseudonyms. Cheap when there is
     * nothing to mask (no '@', no '%', no long digit run).
     */
    public String scrubPath(String path) {
        if (path == null) {
            return null;
        }
        return scrubCards(scrubEmails(path));
    }

    /**
     * Masks a query string ({@code a=1&b=2}, without '?'): the value of every parameter whose name
     * contains one of {@link #sensitiveParameters()} (by default {@link #SENSITIVE_PARAMETER_PARTS}) becomes its pseudonym (so equal values stay
     * equal, and the parameter's hot-key skew survives), then e-mails and card-like numbers in the
     * rest are masked as in {@link #scrubPath}.
     */
    public String scrubQuery(String query) {
        if (query == null || query.isEmpty()) {
            return query;
        }
        StringBuilder out = null;
        int start = 0;
        int n = query.length();
        while (start <= n) {
            int amp = query.indexOf('&', start);
            int end = amp < 0 ? n : amp;
            int eq = query.indexOf('=', start);
            if (eq >= 0 && eq < end && end > eq + 1 && isSensitive(query, start, eq)) {
                if (out == null) {
                    out = new StringBuilder(n + 16).append(query, 0, start);
                }
                out.append(query, start, eq + 1).append(pseudonym(query.substring(eq + 1, end)));
            } else if (out != null) {
                out.append(query, start, end);
            }
            if (amp < 0) {
                break;
            }
            if (out != null) {
                out.append('&');
            }
            start = amp + 1;
        }
        return scrubPath(out == null ? query : out.toString());
    }

    /** Masks e-mail addresses in free text (a referer, a user agent, an extra value). */
    public String scrubEmails(String text) {
        if (text == null || text.indexOf('@') < 0 && text.indexOf('%') < 0) {
            return text;
        }
        return EMAIL.matcher(text).replaceAll(found -> Matcher.quoteReplacement(pseudonym(found.group())));
    }

    private String scrubCards(String text) {
        int run = 0;
        boolean longRun = false;
        for (int i = 0; i < text.length() && !longRun; i++) {
            run = Character.isDigit(text.charAt(i)) ? run + 1 : 0;
            longRun = run >= 13;
        }
        if (!longRun) {
            return text;
        }
        return DIGIT_RUN.matcher(text).replaceAll(found -> Matcher.quoteReplacement(
                passesLuhn(found.group()) ? pseudonym(found.group()) : found.group()));
    }

    /** The Luhn checksum that every payment card number satisfies (and 1 in 10 other numbers). */
    static boolean passesLuhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    private boolean isSensitive(String query, int from, int to) {
        // case-insensitive search without allocating: this runs for every parameter of every request
        for (String part : sensitiveParts) {
            for (int i = from; i + part.length() <= to; i++) {
                if (query.regionMatches(true, i, part, 0, part.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Replaces every IPv4 and IPv6 address in free text (a rejected line's excerpt) with its
     * pseudonym. An IPv6 candidate must contain {@code ::}, a hex letter, or at least five colons,
     * so times such as {@code 2015:10:05:03} are left alone. Meant for rare paths: it uses regexes.
     */
    public String scrubAddresses(String text) {
        if (text == null) {
            return null;
        }
        return scrubEmails(replaceAll(IPV4, replaceAll(IPV6_CANDIDATE, text, true), false));
    }

    private String replaceAll(Pattern pattern, String text, boolean ipv6) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            if (ipv6 && !looksLikeIpv6(m.group())) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, last, m.start()).append(pseudonym(m.group()));
            last = m.end();
        }
        return out == null ? text : out.append(text, last, text.length()).toString();
    }

    private static boolean looksLikeIpv6(String candidate) {
        int colons = 0;
        boolean hexLetter = false;
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (c == ':') {
                colons++;
            } else if (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
                hexLetter = true;
            }
        }
        return candidate.contains("::") || hexLetter || colons >= 5;
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime; this is a bug", e);
        }
    }

    /** One thread's Mac, output buffer and direct-mapped cache (value -> pseudonym). */
    private static final class PerThread {
        private final Mac mac;
        private final byte[] digest = new byte[32];
        private final char[] hex = new char[PSEUDONYM_CHARS];
        private final String[] cachedValues = new String[CACHE_SLOTS];
        private final String[] cachedPseudonyms = new String[CACHE_SLOTS];

        PerThread(Mac mac) {
            this.mac = mac;
        }

        String pseudonym(String value) {
            int h = value.hashCode();
            int slot = (h ^ (h >>> 16)) & (CACHE_SLOTS - 1);
            if (value.equals(cachedValues[slot])) {
                return cachedPseudonyms[slot];
            }
            mac.update(value.getBytes(StandardCharsets.UTF_8));
            try {
                mac.doFinal(digest, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the HMAC output buffer is 32 bytes; this is a bug", e);
            }
            for (int i = 0; i < PSEUDONYM_CHARS / 2; i++) {
                hex[2 * i] = HEX[(digest[i] >> 4) & 0xf];
                hex[2 * i + 1] = HEX[digest[i] & 0xf];
            }
            String pseudonym = new String(hex);
            cachedValues[slot] = value;
            cachedPseudonyms[slot] = pseudonym;
            return pseudonym;
        }
    }
}
