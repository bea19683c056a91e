package org.storagegateway.gateway.api;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * AddTagsToResource, RemoveTagsFromResource and ListTagsForResource, over the tags kept in {@link ManagementState}.
 * Only resources this gateway has can be tagged: the predicate given says which ARNs those are.
 */
public final class TagOperations {
    private final ObjectMapper json = new ObjectMapper();
    private final ManagementState state;
    private final Predicate<String> exists;

    public TagOperations(ManagementState state, Predicate<String> exists) {
        this.state = state;
        this.exists = exists;
    }

    /** The operations by name, to add to a {@link ManagementServer}. */
    public Map<String, ManagementServer.ApiOperation> operations() {
        return Map.of(
                "AddTagsToResource", this::addTags,
                "RemoveTagsFromResource", this::removeTags,
                "ListTagsForResource", this::listTags);
    }

    private String resource(JsonNode input) throws ApiException {
        String arn = ApiInput.requiredString(input, "ResourceARN", 50, 500);
        if (!exists.test(arn)) {
            throw ApiException.invalidRequest("InvalidParameters", "no resource of this gateway has the ARN " + arn);
        }
        return arn;
    }

    private ObjectNode addTags(JsonNode input) throws ApiException {
        String arn = resource(input);
        synchronized (state) {
            LinkedHashMap<String, String> merged = state.orderedTags(arn);
            ApiInput.tags(input.get("Tags"), merged);
            save(arn, merged);
        }
        return json.createObjectNode().put("ResourceARN", arn);
    }

    private ObjectNode removeTags(JsonNode input) throws ApiException {
        String arn = resource(input);
        JsonNode keys = input.get("TagKeys");
        if (keys == null || !keys.isArray()) {
            throw ApiException.invalidRequest("InvalidParameters", "TagKeys is required: a list of keys");
        }
        synchronized (state) {
            LinkedHashMap<String, String> remaining = state.orderedTags(arn);
            for (JsonNode key : keys) {
                remaining.remove(key.asText());
            }
            save(arn, remaining);
        }
        return json.createObjectNode().put("ResourceARN", arn);
    }

    private ObjectNode listTags(JsonNode input) throws ApiException {
        String arn = resource(input);
        int limit = ApiInput.optionalPositive(input, "Limit");
        int start = 0;
        if (input.hasNonNull("Marker")) {
            try {
                start = Integer.parseInt(input.get("Marker").asText());
            } catch (NumberFormatException e) {
                throw ApiException.invalidRequest("InvalidParameters", "Marker is not one this gateway gave");
            }
        }
        ObjectNode output = json.createObjectNode().put("ResourceARN", arn);
        ArrayNode list = output.putArray("Tags");
        int index = 0;
        for (Map.Entry<String, String> tag : state.orderedTags(arn).entrySet()) {
            if (index >= start && (limit == 0 || list.size() < limit)) {
                list.addObject().put("Key", tag.getKey()).put("Value", tag.getValue());
            } else if (index >= start) {
                output.put("Marker", Integer.toString(index));
                break;
            }
            index++;
        }
        return output;
    }

    private void save(String arn, Map<String, String> tags) throws ApiException {
        try {
            state.setTags(arn, tags);
        } catch (IOException e) {
            throw ApiException.internal("cannot keep the tags: " + e.getMessage());
        }
    }
}
