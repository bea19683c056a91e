package org.storagegateway.gateway.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks AWS Signature Version 4 on a request to the management API, as the AWS CLI and SDKs sign them: the
 * canonical request rebuilt from what arrived, the string to sign, the key derived from the caller's secret and the
 * credential scope, and the signature compared in constant time. Requests more than {@link #MAX_SKEW} from now are
 * refused, as AWS refuses them, so a captured request cannot be replayed later.
 *
 * <p>Written here rather than taken from the AWS SDK: the SDK signs requests but has no public verifier.
 */
public final class SigV4Verifier {
    /** How far a request's time may be from ours. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern AUTHORIZATION = Pattern.compile("AWS4-HMAC-SHA256\\s+Credential=([^,\\s]+)\\s*,"
            + "\\s*SignedHeaders=([^,\\s]+)\\s*,\\s*Signature=([0-9a-f]{64})");
    private static final HexFormat HEX = HexFormat.of();

    private final Map<String, String> secrets;
    private final String region;
    private final String service;

    /**
     * @param secrets secret access keys by access key id
     * @param region  the region requests must be scoped to
     * @param service the signing name requests must be scoped to ({@code storagegateway})
     */
    public SigV4Verifier(Map<String, String> secrets, String region, String service) {
        this.secrets = Map.copyOf(secrets);
        this.region = region;
        this.service = service;
    }

    /** A request as it arrived. Header names in any case; a header sent several times has its values joined. */
    public record SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                                byte[] body) {
    }

    /** Returns the access key id that signed {@code request}, or throws the error AWS would answer with. */
    public String verify(SignedRequest request, Instant now) throws ApiException {
        String authorization = header(request, "authorization");
        if (authorization == null) {
            throw ApiException.protocol("MissingAuthenticationTokenException", 403, "Missing Authentication Token");
        }
        Matcher fields = AUTHORIZATION.matcher(authorization.trim());
        if (!fields.matches()) {
            throw ApiException.protocol("IncompleteSignatureException", 400, "Authorization header requires '"
                    + ALGORITHM + "' with 'Credential', 'SignedHeaders' and 'Signature' parameters");
        }
        String[] scope = fields.group(1).split("/");
        if (scope.length != 5 || !scope[4].equals("aws4_request")) {
            throw ApiException.protocol("IncompleteSignatureException", 400,
                    "Credential must be <access key>/<date>/<region>/<service>/aws4_request, not " + fields.group(1));
        }
        String secret = secrets.get(scope[0]);
        if (secret == null) {
            throw ApiException.protocol("UnrecognizedClientException", 403,
                    "The security token included in the request is invalid: unknown access key " + scope[0]);
        }
        if (!scope[2].equals(region)) {
            throw invalidSignature("Credential should be scoped to a valid region: this gateway's region is '"
                    + region + "', not '" + scope[2] + "'");
        }
        if (!scope[3].equals(service)) {
            throw invalidSignature("Credential should be scoped to correct service: '" + service + "'");
        }
        String amzDate = requestTime(request);
        checkTime(amzDate, scope[1], now);
        List<String> signedHeaders = List.of(fields.group(2).split(";"));
        if (!signedHeaders.contains("host")) {
            throw invalidSignature("'Host' must be a signed header");
        }
        String canonical = canonicalRequest(request, signedHeaders);
        String credentialScope = String.join("/", scope[1], scope[2], scope[3], scope[4]);
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + credentialScope + "\n" + hex(sha256(canonical));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), scope[1]);
        key = hmac(key, scope[2]);
        key = hmac(key, scope[3]);
        key = hmac(key, scope[4]);
        byte[] expected = hmac(key, stringToSign);
        if (!MessageDigest.isEqual(expected, HEX.parseHex(fields.group(3)))) {
            throw invalidSignature("The request signature we calculated does not match the signature you provided."
                    + " Check your AWS Secret Access Key and signing method.");
        }
        return scope[0];
    }

    private static ApiException invalidSignature(String message) {
        return ApiException.protocol("InvalidSignatureException", 403, message);
    }

    private static String requestTime(SignedRequest request) throws ApiException {
        String amzDate = header(request, "x-amz-date");
        if (amzDate == null) {
            throw ApiException.protocol("IncompleteSignatureException", 400,
                    "The request must carry its signing time in an X-Amz-Date header");
        }
        return amzDate.trim();
    }

    private static void checkTime(String amzDate, String scopeDate, Instant now) throws ApiException {
        Instant signed;
        try {
            signed = Instant.from(AMZ_DATE.parse(amzDate));
        } catch (DateTimeParseException e) {
            throw ApiException.protocol("IncompleteSignatureException", 400,
                    "X-Amz-Date must be yyyyMMddTHHmmssZ, not " + amzDate);
        }
        if (!amzDate.startsWith(scopeDate)) {
            throw invalidSignature("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date"
                    + " from HTTP: '" + scopeDate + "' != '" + amzDate.substring(0, 8) + "'");
        }
        if (signed.isBefore(now.minus(MAX_SKEW))) {
            throw invalidSignature("Signature expired: " + amzDate + " is now earlier than "
                    + AMZ_DATE.format(now.minus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " - 15 min.)");
        }
        if (signed.isAfter(now.plus(MAX_SKEW))) {
            throw invalidSignature("Signature not yet current: " + amzDate + " is still later than "
                    + AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " + 15 min.)");
        }
    }

    private static String canonicalRequest(SignedRequest request, List<String> signedHeaders) throws ApiException {
        StringBuilder canonical = new StringBuilder();
        canonical.append(request.method()).append('\n');
        canonical.append(canonicalPath(request.rawPath())).append('\n');
        canonical.append(canonicalQuery(request.rawQuery())).append('\n');
        for (String name : signedHeaders) {
            String value = header(request, name);
            if (value == null) {
                throw invalidSignature("the signed header '" + name + "' is not in the request");
            }
            canonical.append(name).append(':').append(value.trim().replaceAll(" +", " ")).append('\n');
        }
        canonical.append('\n').append(String.join(";", signedHeaders)).append('\n');
        String payloadHash = hex(sha256(request.body()));
        String claimed = header(request, "x-amz-content-sha256");
        if (claimed != null && !claimed.equals("UNSIGNED-PAYLOAD") && !claimed.equalsIgnoreCase(payloadHash)) {
            throw ApiException.protocol("XAmzContentSHA256Mismatch", 400,
                    "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        canonical.append(payloadHash);
        return canonical.toString();
    }

    /** The path with each segment percent-decoded and encoded again, as non-S3 services canonicalize it. */
    private static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        String[] segments = rawPath.split("/", -1);
        List<String> encoded = new ArrayList<>(segments.length);
        for (String segment : segments) {
            encoded.add(encode(decode(segment)));
        }
        return String.join("/", encoded);
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        TreeMap<String, List<String>> parameters = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = encode(decode(equals < 0 ? pair : pair.substring(0, equals)));
            String value = equals < 0 ? "" : encode(decode(pair.substring(equals + 1)));
            parameters.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        List<String> parts = new ArrayList<>();
        parameters.forEach((name, values) -> values.stream().sorted().forEach(value -> parts.add(name + "=" + value)));
        return String.join("&", parts);
    }

    /** RFC 3986 encoding of everything but the unreserved characters, as SigV4 specifies. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** Percent-decoding; a '%' not followed by two hex digits stays as it is. */
    private static String decode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int high = i + 2 < bytes.length ? Character.digit(bytes[i + 1], 16) : -1;
            int low = i + 2 < bytes.length ? Character.digit(bytes[i + 2], 16) : -1;
            if (bytes[i] == '%' && high >= 0 && low >= 0) {
                out.write(high << 4 | low);
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String header(SignedRequest request, String name) {
        for (Map.Entry<String, List<String>> entry : request.headers().entrySet()) {
            if (entry.getKey().toLowerCase(Locale.ROOT).equals(name)) {
                return String.join(",", entry.getValue());
            }
        }
        return null;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static byte[] sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
