package dev.reprise.replay.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 5: the plain HTTP/1.1 path reads responses with {@link Http1ResponseParser}. Real nginx
 * responses (src/test/resources/issue-5/responses, see its README), each fed whole and byte by byte.
 */
class Http1ResponseParserTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // file,                        HEAD?, status, keeps connection, ends at the close
            "nginx-200-content-length.http,  false, 200, true,  false",
            "nginx-200-chunked-gzip.http,    false, 200, true,  false",
            "nginx-204.http,                 false, 204, true,  false",
            "nginx-304.http,                 false, 304, true,  false",
            "nginx-404.http,                 false, 404, true,  false",
            "nginx-head.http,                true,  200, true,  false",
            "nginx-connection-close.http,    false, 200, false, false",
            "nginx-http10-until-close.http,  false, 200, false, true",
    })
    void readsRealNginxResponsesWholeAndByteByByte(String file, boolean head, int status, boolean keeps,
                                                   boolean endsAtClose) throws Exception {
        byte[] response = fixture(file);
        for (boolean byteByByte : new boolean[] {false, true}) {
            Http1ResponseParser parser = new Http1ResponseParser();
            parser.start(head);
            boolean complete = false;
            if (byteByByte) {
                for (int i = 0; i < response.length; i++) {
                    assertThat(complete).as("complete before byte %d of %d", i, response.length).isFalse();
                    complete = parser.feed(Unpooled.wrappedBuffer(response, i, 1));
                }
            } else {
                complete = parser.feed(Unpooled.wrappedBuffer(response));
            }
            if (endsAtClose) {
                assertThat(complete).isFalse();
                assertThat(parser.isReading()).isTrue();
                assertThat(parser.closed()).isTrue();
            } else {
                assertThat(complete).as("complete at the last byte").isTrue();
                assertThat(parser.closed()).as("a close after a complete response ends nothing").isFalse();
            }
            assertThat(parser.status()).isEqualTo(status);
            assertThat(parser.keepsConnection()).isEqualTo(keeps);
        }
    }

    @Test
    void aResponseIsNotCompleteOneByteBeforeItsEnd() throws Exception {
        for (String file : new String[] {"nginx-200-content-length.http", "nginx-200-chunked-gzip.http",
                "nginx-204.http", "nginx-304.http"}) {
            byte[] response = fixture(file);
            Http1ResponseParser parser = new Http1ResponseParser();
            parser.start(false);
            assertThat(parser.feed(Unpooled.wrappedBuffer(response, 0, response.length - 1))).as(file).isFalse();
            assertThat(parser.closed()).as("cut short by a close: %s", file).isFalse();
        }
    }

    @Test
    void theParserIsReusedForTheNextResponseOnTheConnection() throws Exception {
        Http1ResponseParser parser = new Http1ResponseParser();
        for (String file : new String[] {"nginx-200-chunked-gzip.http", "nginx-head.http", "nginx-404.http",
                "nginx-204.http", "nginx-200-content-length.http"}) {
            parser.start(file.contains("head"));
            assertThat(parser.feed(Unpooled.wrappedBuffer(fixture(file)))).as(file).isTrue();
            assertThat(parser.keepsConnection()).isTrue();
        }
    }

    @Test
    void skipsInterimResponsesChunkExtensionsAndTrailers() throws Exception {
        String response = "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 201 Created\r\ntransfer-encoding: gzip, CHUNKED\r\n\r\n"
                + "5;name=value\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Checksum: 1\r\n\r\n";
        Http1ResponseParser parser = new Http1ResponseParser();
        parser.start(false);
        assertThat(parser.feed(buffer(response))).isTrue();
        assertThat(parser.status()).isEqualTo(201);
        assertThat(parser.keepsConnection()).isTrue();
    }

    @Test
    void http10KeepsTheConnectionOnlyWhenTheServerSaysKeepAlive() throws Exception {
        Http1ResponseParser parser = new Http1ResponseParser();
        parser.start(false);
        assertThat(parser.feed(buffer("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"))).isTrue();
        assertThat(parser.keepsConnection()).isFalse();
        parser.start(false);
        assertThat(parser.feed(buffer("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok"))).isTrue();
        assertThat(parser.keepsConnection()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // Connection is a token list in any case, blanks around commas; HTTP/1.1 keeps unless 'close'
            "HTTP/1.1 200 OK\\r\\nConnection: Upgrade, CLOSE\\r\\nContent-Length: 2\\r\\n\\r\\nok| false| 200",
            "HTTP/1.1 200 OK\\r\\nConnection: closed\\r\\nContent-Length: 2\\r\\n\\r\\nok| true| 200",
            "HTTP/1.1 200 OK\\r\\nconnection:\\tclose \\r\\nContent-Length: 2\\r\\n\\r\\nok| false| 200",
            "HTTP/1.0 200 OK\\r\\nConnection: Upgrade ,Keep-Alive\\r\\nContent-Length: 2\\r\\n\\r\\nok| true| 200",
            "HTTP/1.0 200 OK\\r\\nConnection: keep-alive-ish\\r\\nContent-Length: 2\\r\\n\\r\\nok| false| 200",
            // chunked counts only as the last transfer coding
            "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: gzip, Chunked\\r\\n\\r\\n2\\r\\nok\\r\\n0\\r\\n\\r\\n| true| 200",
            "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked, gzip\\r\\nContent-Length: 2\\r\\n\\r\\nok| true| 200",
    })
    void headerTokenListsAreReadInAnyCase(String response, boolean keeps, int status) throws Exception {
        Http1ResponseParser parser = new Http1ResponseParser();
        parser.start(false);
        assertThat(parser.feed(buffer(response.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t"))))
                .isTrue();
        assertThat(parser.status()).isEqualTo(status);
        assertThat(parser.keepsConnection()).isEqualTo(keeps);
    }

    @Test
    void bytesAfterTheResponseMakeTheConnectionUnfitForReuse() throws Exception {
        Http1ResponseParser parser = new Http1ResponseParser();
        parser.start(false);
        assertThat(parser.feed(buffer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA"))).isTrue();
        assertThat(parser.status()).isEqualTo(200);
        assertThat(parser.keepsConnection()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "SSH-2.0-OpenSSH_9.2\\r\\n| expected a status line like 'HTTP/1.1 200 OK', found 'SSH-2.0-OpenSSH_9.2'",
            "HTTP/1.1 2x0 OK\\r\\n| expected a 3-digit status code, found 'HTTP/1.1 2x0 OK'",
            "HTTP/1.1 200 OK\\r\\nno colon here\\r\\n| expected a header 'Name: value', found 'no colon here'",
            "HTTP/1.1 200 OK\\r\\nContent-Length: 12a\\r\\n| invalid Content-Length '12a'",
            "HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\nContent-Length: 3\\r\\n| two different Content-Length values, 2 and 3",
            "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n| invalid chunk size line 'zz'",
            "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n2\\r\\nokX\\r\\n| expected CRLF after a chunk's data, found 'X'",
    })
    void refusesWhatIsNotAnHttpResponseSayingWhatItFound(String response, String message) {
        Http1ResponseParser parser = new Http1ResponseParser();
        parser.start(false);
        assertThatThrownBy(() -> parser.feed(buffer(response.replace("\\r\\n", "\r\n"))))
                .isInstanceOf(Http1ResponseParser.MalformedResponseException.class)
                .hasMessage("malformed HTTP response: " + message);
    }

    @Test
    void refusesAHeaderLineLongerThanTheLimit() {
        Http1ResponseParser parser = new Http1ResponseParser();
        parser.start(false);
        String longHeader = "HTTP/1.1 200 OK\r\nX-Long: " + "a".repeat(Http1ResponseParser.MAX_LINE_BYTES) + "\r\n";
        assertThatThrownBy(() -> parser.feed(buffer(longHeader)))
                .hasMessageContaining("a response line is longer than 8192 bytes");
    }

    @Test
    void classifiesAMalformedResponseAsAProtocolError() {
        assertThat(LoopDriver.classify(new Http1ResponseParser.MalformedResponseException("x"))).isEqualTo("protocol_error");
    }

    private static ByteBuf buffer(String s) {
        return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] fixture(String name) throws Exception {
        try (InputStream in = Http1ResponseParserTest.class.getResourceAsStream("/issue-5/responses/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
