package dev.reprise.ingest.anon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnonymizerTest {
    private static final byte[] KEY = HexFormat.of().parseHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    @Test
    void isTheFirst64BitsOfHmacSha256InHex() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal("192.0.2.7".getBytes(StandardCharsets.UTF_8)))
                .substring(0, 16);

        assertThat(Anonymizer.withKey(KEY).pseudonym("192.0.2.7")).isEqualTo(expected).matches("[0-9a-f]{16}");
    }

    @Test
    void isStableForTheSameKeyAndDiffersForAnotherKey() {
        Anonymizer one = Anonymizer.withKey(KEY);
        Anonymizer again = Anonymizer.withKey(KEY.clone());
        byte[] otherKey = KEY.clone();
        otherKey[0] = 42;

        assertThat(one.pseudonym("2001:db8::1")).isEqualTo(again.pseudonym("2001:db8::1"))
                .isEqualTo(one.pseudonym("2001:db8::1"))
                .isNotEqualTo(Anonymizer.withKey(otherKey).pseudonym("2001:db8::1"));
        assertThat(one.pseudonym("10.0.0.1")).isNotEqualTo(one.pseudonym("10.0.0.2"));
        assertThat(one.pseudonym(null)).isNull();
    }

    @Test
    void derivesTheSameKeyFromTheSameSalt() {
        assertThat(Anonymizer.fromSalt("s3cret").pseudonym("10.0.0.1"))
                .isEqualTo(Anonymizer.fromSalt("s3cret").pseudonym("10.0.0.1"))
                .isNotEqualTo(Anonymizer.fromSalt("other").pseudonym("10.0.0.1"))
                .isNotEqualTo(Anonymizer.withKey("s3cret-but-as-a-raw-key".getBytes(StandardCharsets.UTF_8))
                        .pseudonym("10.0.0.1"));
    }

    @Test
    void refusesAShortKey() {
        assertThatThrownBy(() -> Anonymizer.withKey(new byte[8])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pseudonymizesEachMemberOfAnAddressList() {
        Anonymizer anonymizer = Anonymizer.withKey(KEY);

        assertThat(anonymizer.pseudonymizeList("203.0.113.9, 10.0.0.1,-"))
                .isEqualTo(anonymizer.pseudonym("203.0.113.9") + ", " + anonymizer.pseudonym("10.0.0.1") + ", -");
        assertThat(anonymizer.pseudonymizeList("203.0.113.9")).isEqualTo(anonymizer.pseudonym("203.0.113.9"));
        assertThat(anonymizer.pseudonymizeList("-")).isEqualTo("-");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            from 192.0.2.7 at noon                       | from <192.0.2.7> at noon
            [2001:db8::7]:5000, [2a02:cf40::4e36]:500     | [<2001:db8::7>]:5000, [<2a02:cf40::4e36>]:500
            fe80:0:0:0:0:0:0:1 and 1:2:3:4:5:6:7:8        | <fe80:0:0:0:0:0:0:1> and <1:2:3:4:5:6:7:8>
            [17/May/2015:10:05:03 +0000] 13:05:12         | [17/May/2015:10:05:03 +0000] 13:05:12
            version 1.2.3 and 1.2.3.4.5                   | version 1.2.3 and 1.2.3.4.5
            """)
    void scrubsAddressesButNotTimesFromFreeText(String text, String expected) {
        Anonymizer anonymizer = Anonymizer.withKey(KEY);
        StringBuilder want = new StringBuilder();
        int i = 0;
        while (i < expected.length()) {
            int open = expected.indexOf('<', i);
            if (open < 0) {
                want.append(expected, i, expected.length());
                break;
            }
            int close = expected.indexOf('>', open);
            want.append(expected, i, open).append(anonymizer.pseudonym(expected.substring(open + 1, close)));
            i = close + 1;
        }

        assertThat(anonymizer.scrubAddresses(text)).isEqualTo(want.toString());
    }

    @Test
    void givesTheSameResultOnEveryThread() throws Exception {
        Anonymizer anonymizer = Anonymizer.withKey(KEY);
        String expected = anonymizer.pseudonym("198.51.100.23");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = pool.invokeAll(List.of(
                    () -> same(anonymizer, expected), () -> same(anonymizer, expected),
                    () -> same(anonymizer, expected), () -> same(anonymizer, expected)));
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean same(Anonymizer anonymizer, String expected) {
        for (int i = 0; i < 10_000; i++) {
            anonymizer.pseudonym("10.0." + (i % 250) + ".1"); // churn the cache
            if (!anonymizer.pseudonym("198.51.100.23").equals(expected)) {
                return false;
            }
        }
        return true;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "page=2&sort=asc                       | page=2&sort=asc",
        "access_token=abc&page=2               | access_token=#abc#&page=2",
        "page=2&userEmail=a%40b.io             | page=2&userEmail=#a%40b.io#",
        "X-Amz-Signature=f00d&X-Amz-Date=2026  | X-Amz-Signature=#f00d#&X-Amz-Date=2026",
        "q=write+to+x@y.com                    | q=#write+to+x@y.com#",
        "key=&a=1                              | key=&a=1",
        "flag&password=pw                      | flag&password=#pw#",
    })
    void masksSensitiveQueryParametersAndEmails(String query, String expected) {
        Anonymizer anonymizer = Anonymizer.withKey(new byte[32]);
        assertThat(anonymizer.scrubQuery(query)).isEqualTo(withPseudonyms(anonymizer, expected));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "/products/1234                      | /products/1234",
        "/users/jo.doe@mail.example.com/cart | /users/#jo.doe@mail.example.com#/cart",
        "/pay/4111111111111111/ok            | /pay/#4111111111111111#/ok",
        "/orders/4111111111111112            | /orders/4111111111111112",
        "/events/1773493512123               | /events/1773493512123",
    })
    void masksEmailsAndCardNumbersInPaths(String path, String expected) {
        Anonymizer anonymizer = Anonymizer.withKey(new byte[32]);
        assertThat(anonymizer.scrubPath(path)).isEqualTo(withPseudonyms(anonymizer, expected));
    }

    /** Replaces each #value# of {@code expected} with the value's pseudonym. */
    private static String withPseudonyms(Anonymizer anonymizer, String expected) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("#([^#]*)#").matcher(expected);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, anonymizer.pseudonym(m.group(1)));
        }
        return m.appendTail(out).toString();
    }
}
