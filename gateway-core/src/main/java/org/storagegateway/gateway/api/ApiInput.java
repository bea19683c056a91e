package org.storagegateway.gateway.api;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading operation inputs as the service model constrains them, refusing what it does not allow. */
final class ApiInput {
    private ApiInput() {
    }

    /** A required string member whose length the model bounds. */
    static String requiredString(JsonNode input, String member, int minLength, int maxLength) throws ApiException {
        JsonNode value = input.get(member);
        if (value == null || value.isNull()) {
            throw ApiException.invalidRequest("InvalidParameters", member + " is required");
        }
        if (!value.isTextual()) {
            throw ApiException.invalidRequest("InvalidParameters", member + " must be a string");
        }
        String text = value.asText();
        if (text.length() < minLength || text.length() > maxLength) {
            throw ApiException.invalidRequest("InvalidParameters", member + " must be " + minLength + " to "
                    + maxLength + " characters long, not " + text.length());
        }
        return text;
    }

    /** An optional positive integer member; 0 when absent. */
    static int optionalPositive(JsonNode input, String member) throws ApiException {
        JsonNode value = input.get(member);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
            throw ApiException.invalidRequest("InvalidParameters", member + " must be a positive integer");
        }
        return value.asInt();
    }

    /** The service's limit of tags per resource. */
    static final int MAX_TAGS = 50;
    private static final String TAG_KEY = "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$";

    /** Adds a list of {Key, Value} tags to {@code into}, refusing what the model refuses. */
    static void tags(JsonNode tags, Map<String, String> into) throws ApiException {
        if (tags == null || !tags.isArray()) {
            throw ApiException.invalidRequest("InvalidParameters", "Tags must be a list of {Key, Value}");
        }
        for (JsonNode tag : tags) {
            String key = requiredString(tag, "Key", 1, 128);
            if (!key.matches(TAG_KEY)) {
                throw ApiException.invalidRequest("InvalidParameters", "tag key \"" + key
                        + "\" may hold only letters, digits, spaces and _ . : / = + - @");
            }
            into.put(key, requiredString(tag, "Value", 0, 256));
        }
        if (into.size() > MAX_TAGS) {
            throw ApiException.invalidRequest("InvalidParameters", "a resource can have at most " + MAX_TAGS
                    + " tags; this would give it " + into.size());
        }
    }
}
