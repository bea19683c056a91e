package org.storagegateway.gateway.api;

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
}
