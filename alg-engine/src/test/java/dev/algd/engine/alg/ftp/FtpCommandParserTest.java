package dev.algd.engine.alg.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.algd.engine.config.Ipv4Addresses;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FtpCommandParserTest {
    private final FtpCommand out = new FtpCommand();
    private final FtpCommandWriter writer = new FtpCommandWriter();
    private String parsed;

    private FtpReason parse(String text) {
        parsed = text;
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return FtpCommandParser.parse(MemorySegment.ofArray(bytes), 0, bytes.length, out);
    }

    private String span() {
        return parsed.substring((int) out.spanFrom, (int) out.spanTo);
    }

    private static int address(String dotted) {
        return Ipv4Addresses.parse(dotted);
    }

    @Test
    void portCommandsOfInetutilsAndCurl() {
        assertEquals(FtpReason.OK, parse(FtpFixtures.line("inetutils-port")));
        assertEquals(FtpCommand.Kind.PORT_COMMAND, out.kind);
        assertEquals(address("127.0.0.1"), out.address);
        assertEquals(147 * 256 + 197, out.port);
        assertEquals("127,0,0,1,147,197", span());
        assertEquals(parsed.length(), out.lineEnd);
        assertEquals(FtpReason.OK, parse(FtpFixtures.line("curl-port")));
        assertEquals(145 * 256 + 7, out.port);
    }

    @Test
    void lowercasePortCommandIsFound() {
        assertEquals(FtpReason.OK, parse("port 1,1,1,11,38,91\r\n"));
        assertEquals(FtpCommand.Kind.PORT_COMMAND, out.kind);
        assertEquals(9819, out.port);
        assertEquals(FtpReason.OK, parse("PoRt 1,1,1,11,38,91\n"), "a bare LF ends a line too");
    }

    @Test
    void portWithExtraSpacesBeforeTheNumbers() {
        assertEquals(FtpReason.OK, parse("PORT   1,1,1,11,38,91\r\n"));
        assertEquals("1,1,1,11,38,91", span());
    }

    @Test
    void commandsAreFoundOnlyAtTheStartOfALine() {
        assertEquals(FtpReason.NOT_TRANSLATED, parse("NOOP PORT 1,1,1,11,38,91\r\n"));
        assertEquals(FtpReason.NOT_TRANSLATED, parse(" PORT 1,1,1,11,38,91\r\n"));
        assertEquals(FtpReason.NOT_TRANSLATED, parse("PORTS 1,1,1,11,38,91\r\n"));
        assertEquals(FtpReason.NOT_TRANSLATED, parse("200 PORT command successful\r\n"));
    }

    @Test
    void eprtWithIpv4() {
        assertEquals(FtpReason.OK, parse(FtpFixtures.line("curl-eprt-ipv4")));
        assertEquals(FtpCommand.Kind.EPRT_COMMAND, out.kind);
        assertEquals(FtpCommand.FAMILY_IPV4, out.family);
        assertEquals(address("127.0.0.1"), out.address);
        assertEquals(34229, out.port);
        assertEquals('|', out.delimiter);
        assertEquals("127.0.0.1|34229", span());
    }

    @Test
    void eprtWithIpv6FromCurl() throws UnknownHostException {
        assertEquals(FtpReason.OK, parse(FtpFixtures.line("curl-eprt-ipv6")));
        assertEquals(FtpCommand.FAMILY_IPV6, out.family);
        assertEquals(0, out.addressHigh);
        assertEquals(1, out.addressLow);
        assertEquals(43823, out.port);
        assertEquals("::1|43823", span());
    }

    @Test
    void eprtWithIpv6InEveryTextForm() throws UnknownHostException {
        String[] forms = {"2001:db8::1", "2001:DB8:0:0:0:0:0:1", "::", "1::", "fe80::1:2:3:4:5:6",
            "::ffff:192.0.2.33", "1:2:3:4:5:6:7:8", "2001:db8:85a3::8a2e:370:7334", "::1.2.3.4", "1:2:3:4:5:6:1.2.3.4"};
        for (String form : forms) {
            assertEquals(FtpReason.OK, parse("eprt !2!" + form + "!6275!\r\n"), form);
            byte[] expected = InetAddress.getByName(form).getAddress();
            if (expected.length == 4) {
                expected = ipv4Mapped(expected);
            }
            ByteBuffer buffer = ByteBuffer.wrap(expected);
            assertEquals(buffer.getLong(), out.addressHigh, form);
            assertEquals(buffer.getLong(), out.addressLow, form);
            assertEquals('!', out.delimiter);
            assertEquals(6275, out.port);
        }
    }

    private static byte[] ipv4Mapped(byte[] v4) {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(v4, 0, mapped, 12, 4);
        return mapped;
    }

    @Test
    void malformedIpv6IsABadAddress() {
        String[] bad = {"", ":", ":::", "1:2", "1::2::3", "12345::1", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8",
            "g::1", "1:", ":1", "::1.2.3", "::1.2.3.256", "1.2.3.4::", "::ffff:1.2.3.4:5"};
        for (String address : bad) {
            FtpReason reason = parse("EPRT |2|" + address + "|6275|\r\n");
            assertEquals(true, reason == FtpReason.EPRT_BAD_ADDRESS || reason == FtpReason.OCTET_OVER_255,
                    address + " gave " + reason);
        }
    }

    @Test
    void malformedEprtIsNamed() {
        assertEquals(FtpReason.EPRT_UNKNOWN_FAMILY, parse("EPRT |3|1.2.3.4|6275|\r\n"));
        assertEquals(FtpReason.EPRT_UNKNOWN_FAMILY, parse("EPRT |12|1.2.3.4|6275|\r\n"));
        assertEquals(FtpReason.BAD_DELIMITER, parse("EPRT \u00011\u00011.2.3.4\u00016275\u0001\r\n"));
        assertEquals(FtpReason.BAD_DELIMITER, parse("EPRT \r\n"));
        assertEquals(FtpReason.EPRT_BAD_ADDRESS, parse("EPRT |1|1.2.3|6275|\r\n"));
        assertEquals(FtpReason.EPRT_BAD_ADDRESS, parse("EPRT |1|1.2.3.4\r\n"));
        assertEquals(FtpReason.OCTET_OVER_255, parse("EPRT |1|1.2.3.256|6275|\r\n"));
        assertEquals(FtpReason.PORT_OVER_65535, parse("EPRT |1|1.2.3.4|65536|\r\n"));
        assertEquals(FtpReason.NUMBER_TOO_LONG, parse("EPRT |1|1.2.3.4|000080|\r\n"));
        assertEquals(FtpReason.PORT_ZERO, parse("EPRT |1|1.2.3.4|0|\r\n"));
        assertEquals(FtpReason.NUMBER_MISSING, parse("EPRT |1|1.2.3.4||\r\n"));
        assertEquals(FtpReason.NUMBER_MISSING, parse("EPRT |1|1.2.3.4|80\r\n"));
    }

    @Test
    void pasvReplyOfPyftpdlib() {
        assertEquals(FtpReason.OK, parse(FtpFixtures.line("pyftpdlib-pasv-reply")));
        assertEquals(FtpCommand.Kind.PASV_REPLY, out.kind);
        assertEquals(address("127.0.0.1"), out.address);
        assertEquals(184 * 256 + 197, out.port);
        assertEquals("127,0,0,1,184,197", span());
    }

    @Test
    void pasvReplyWithoutParenthesesIsFoundByItsFirstDigit() {
        assertEquals(FtpReason.OK, parse("227 Entering Passive Mode 2,2,2,11,38,91\r\n"));
        assertEquals("2,2,2,11,38,91", span());
        assertEquals(FtpReason.OK, parse("227 =2,2,2,11,38,91\r\n"));
        assertEquals(address("2.2.2.11"), out.address);
    }

    @Test
    void pasvReplyWithoutNumbersIsNotTranslated() {
        assertEquals(FtpReason.NOT_TRANSLATED, parse("227 Logout.\r\n"));
        assertEquals(parsed.length(), out.lineEnd);
        assertEquals(FtpReason.NUMBER_MISSING, parse("227 Logout in 5 minutes.\r\n"));
    }

    @Test
    void malformedNumbersAreNamed() {
        assertEquals(FtpReason.OCTET_OVER_255, parse("PORT 1,1,1,256,38,91\r\n"));
        assertEquals(FtpReason.OCTET_OVER_255, parse("PORT 1,1,1,1,38,256\r\n"));
        assertEquals(FtpReason.NUMBER_TOO_LONG, parse("PORT 1,1,1,0001,38,91\r\n"));
        assertEquals(FtpReason.NUMBER_MISSING, parse("PORT 1,1,1,1,38\r\n"));
        assertEquals(FtpReason.NUMBER_MISSING, parse("PORT 1,1,1,,38,91\r\n"));
        assertEquals(FtpReason.NOT_TRANSLATED, parse("PORT\r\n"), "PORT without its space is no PORT");
        assertEquals(FtpReason.PORT_ZERO, parse("PORT 1,1,1,11,0,0\r\n"));
    }

    @Test
    void epsvReplyOfPyftpdlib() {
        assertEquals(FtpReason.OK, parse(FtpFixtures.line("pyftpdlib-epsv-reply")));
        assertEquals(FtpCommand.Kind.EPSV_REPLY, out.kind);
        assertEquals(38417, out.port);
        assertEquals("38417", span());
        assertEquals(FtpReason.OK, parse("229 Entering Extended Passive Mode (!!!6446!)\r\n"));
        assertEquals('!', out.delimiter);
    }

    @Test
    void malformedEpsvReplyIsNamed() {
        assertEquals(FtpReason.EPSV_MALFORMED, parse("229 Entering Extended Passive Mode |||6446|\r\n"));
        assertEquals(FtpReason.BAD_DELIMITER, parse("229 (||!6446|)\r\n"));
        assertEquals(FtpReason.NUMBER_MISSING, parse("229 (|||6446)\r\n"));
        assertEquals(FtpReason.PORT_OVER_65535, parse("229 (|||99999|)\r\n"));
        assertEquals(FtpReason.BAD_DELIMITER, parse("229 (||\r\n"));
        assertEquals(FtpReason.EPSV_MALFORMED, parse("229 (|\r\n"));
    }

    @Test
    void lineWithoutItsLfIsIncompleteOnlyWhenItCouldMatter() {
        assertEquals(FtpReason.INCOMPLETE, parse("PORT 1,1,1,11,3"));
        assertEquals(FtpReason.INCOMPLETE, parse("PO"));
        assertEquals(FtpReason.INCOMPLETE, parse("22"));
        assertEquals(FtpReason.INCOMPLETE, parse(""));
        assertEquals(FtpReason.NOT_TRANSLATED, parse("RETR some-file"));
        assertEquals(parsed.length(), out.lineEnd);
    }

    @Test
    void overlongLinesAreRefusedWhateverTheirEnding() {
        String padding = " ".repeat(FtpCommandParser.MAX_LINE_BYTES);
        assertEquals(FtpReason.LINE_TOO_LONG, parse("PORT" + padding + "1,1,1,11,38,91\r\n"));
        assertEquals(FtpReason.LINE_TOO_LONG, parse("227 " + padding));
        assertEquals(FtpReason.NOT_TRANSLATED, parse("RETR " + padding + "\r\n"), "other lines may be long");
    }

    @Test
    void nextLineStartsAfterTheLf() {
        String lines = "TYPE I\r\nPORT 1,1,1,11,38,91\r\nLIST\r\n";
        assertEquals(FtpReason.NOT_TRANSLATED, parse(lines));
        assertEquals(8, out.lineEnd);
        byte[] bytes = lines.getBytes(StandardCharsets.US_ASCII);
        assertEquals(FtpReason.OK, FtpCommandParser.parse(MemorySegment.ofArray(bytes), 8, bytes.length, out));
        assertEquals(29, out.lineEnd);
    }

    /** parse(write(x)) == x for PORT and 227 numbers. */
    @Property
    void numbersRoundTrip(@ForAll int address, @ForAll @IntRange(min = 1, max = 65535) int port,
            @ForAll("numberLines") String prefix) {
        int length = writer.writeNumbers(address, port);
        String text = prefix + new String(writer.scratch(), 0, length, StandardCharsets.US_ASCII) + ").\r\n";
        assertEquals(FtpReason.OK, parse(text));
        assertEquals(address, out.address);
        assertEquals(port, out.port);
        assertEquals(length, out.spanTo - out.spanFrom);
    }

    @Provide
    Arbitrary<String> numberLines() {
        return Arbitraries.of("PORT ", "port ", "227 Entering Passive Mode (", "227 ", "227 Entering Passive Mode ");
    }

    /** parse(write(x)) == x for EPRT |1| and |2| and 229, any delimiter. */
    @Property
    void eprtRoundTrip(@ForAll int address, @ForAll long high, @ForAll long low,
            @ForAll @IntRange(min = 1, max = 65535) int port, @ForAll("delimiters") char delimiter) {
        String d = String.valueOf(delimiter);
        int length = writer.writeEprtAddressAndPort(address, (byte) delimiter, port);
        assertEquals(FtpReason.OK, parse("EPRT " + d + "1" + d + text(length) + d + "\r\n"));
        assertEquals(address, out.address);
        assertEquals(port, out.port);

        length = writer.writeEprtAddressAndPort(high, low, (byte) delimiter, port);
        String v6 = text(length);
        if (v6.indexOf(delimiter) == v6.lastIndexOf(delimiter)) {  // the delimiter is not a character of the address
            assertEquals(FtpReason.OK, parse("EPRT " + d + "2" + d + v6 + d + "\r\n"), v6);
            assertEquals(high, out.addressHigh, v6);
            assertEquals(low, out.addressLow, v6);
            assertEquals(port, out.port);
            assertEquals(v6.substring(0, v6.lastIndexOf(delimiter)), canonical(high, low));
        }

        length = writer.writePort(port);
        assertEquals(FtpReason.OK, parse("229 Entering Extended Passive Mode (" + d + d + d + text(length) + d
                + ")\r\n"));
        assertEquals(port, out.port);
    }

    private String text(int length) {
        return new String(writer.scratch(), 0, length, StandardCharsets.US_ASCII);
    }

    /** The JDK's text of an IPv6 address, compressed as RFC 5952 asks. */
    private static String canonical(long high, long low) {
        try {
            byte[] bytes = ByteBuffer.allocate(16).putLong(high).putLong(low).array();
            String full = ((Inet6Address) InetAddress.getByAddress(bytes)).getHostAddress();
            return rfc5952(full);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static String rfc5952(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
        }
        if (bestStart < 0) {
            return String.join(":", groups);
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, 8));
        return head + "::" + tail;
    }

    @Provide
    Arbitrary<Character> delimiters() {
        return Arbitraries.chars().range('!', '~').filter(c -> !Character.isDigit(c) && c != '.');
    }
}
