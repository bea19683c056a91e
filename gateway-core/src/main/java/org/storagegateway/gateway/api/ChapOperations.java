package org.storagegateway.gateway.api;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.storagegateway.gateway.api.ManagementState.ChapSecrets;
import org.storagegateway.iscsi.target.ChapCredentials;
import org.storagegateway.iscsi.target.ChapPolicy;
import org.storagegateway.iscsi.target.TargetCatalog;
import org.storagegateway.iscsi.target.TargetDefinition;

/**
 * UpdateChapCredentials, DescribeChapCredentials and DeleteChapCredentials: CHAP secrets per initiator and target,
 * as AWS Storage Gateway keeps them. The initiator authenticates with its iSCSI name as CHAP name and the initiator
 * secret; with a target secret too, the target answers (mutual CHAP) with the target's name. Changes apply to the
 * next login (sessions already in keep theirs) and are kept across restarts; {@link #applyAll} puts them back on a
 * start.
 */
public final class ChapOperations {
    private static final String IQN = "[0-9a-z:.-]+";

    private final ObjectMapper json = new ObjectMapper();
    private final ResourceArns arns;
    private final TargetCatalog catalog;
    private final ManagementState state;

    public ChapOperations(String gatewayArn, TargetCatalog catalog, ManagementState state) {
        this.arns = new ResourceArns(gatewayArn);
        this.catalog = catalog;
        this.state = state;
    }

    /** The operations by name, to add to a {@link ManagementServer}. */
    public Map<String, ManagementServer.ApiOperation> operations() {
        return Map.of(
                "UpdateChapCredentials", this::update,
                "DescribeChapCredentials", this::describe,
                "DeleteChapCredentials", this::delete);
    }

    /** A target's ARN, as the API names it. */
    public String targetArn(String targetName) {
        return arns.target(targetName);
    }

    /** Puts the kept CHAP secrets back onto the targets (at start); those of targets no longer served are kept. */
    public void applyAll() throws ApiException {
        for (TargetDefinition target : catalog.all()) {
            apply(target.name());
        }
    }

    private TargetDefinition target(JsonNode input) throws ApiException {
        String arn = ApiInput.requiredString(input, "TargetARN", 50, 800);
        TargetDefinition target = arns.targetName(arn).flatMap(catalog::find).orElse(null);
        if (target == null) {
            throw ApiException.invalidRequest("TargetNotFound", "The specified target was not found: " + arn);
        }
        return target;
    }

    private static String initiator(JsonNode input) throws ApiException {
        String name = ApiInput.requiredString(input, "InitiatorName", 1, 255);
        if (!name.matches(IQN)) {
            throw ApiException.invalidRequest("InitiatorInvalid",
                    "InitiatorName must be an iSCSI name in lower case ([0-9a-z:.-]), not " + name);
        }
        return name;
    }

    private ObjectNode update(JsonNode input) throws ApiException {
        TargetDefinition target = target(input);
        String initiator = initiator(input);
        String initiatorSecret = ApiInput.requiredString(input, "SecretToAuthenticateInitiator", 1, 100);
        String targetSecret = input.hasNonNull("SecretToAuthenticateTarget")
                ? ApiInput.requiredString(input, "SecretToAuthenticateTarget", 1, 100) : null;
        ChapSecrets secrets = new ChapSecrets(initiatorSecret, targetSecret);
        policy(target.name(), initiator, secrets);
        save(target.name(), initiator, secrets);
        return json.createObjectNode().put("TargetARN", targetArn(target.name())).put("InitiatorName", initiator);
    }

    private ObjectNode describe(JsonNode input) throws ApiException {
        TargetDefinition target = target(input);
        ObjectNode output = json.createObjectNode();
        ArrayNode list = output.putArray("ChapCredentials");
        state.chap(target.name()).forEach((initiator, secrets) -> {
            ObjectNode info = list.addObject();
            info.put("TargetARN", targetArn(target.name()));
            info.put("SecretToAuthenticateInitiator", secrets.initiatorSecret());
            info.put("InitiatorName", initiator);
            if (secrets.targetSecret() != null) {
                info.put("SecretToAuthenticateTarget", secrets.targetSecret());
            }
        });
        return output;
    }

    private ObjectNode delete(JsonNode input) throws ApiException {
        TargetDefinition target = target(input);
        String initiator = initiator(input);
        if (!state.chap(target.name()).containsKey(initiator)) {
            throw ApiException.invalidRequest("ChapCredentialNotFound", "initiator " + initiator
                    + " has no CHAP credentials for " + targetArn(target.name()));
        }
        save(target.name(), initiator, null);
        return json.createObjectNode().put("TargetARN", targetArn(target.name())).put("InitiatorName", initiator);
    }

    /** The policy for these secrets, refused with the service's words when iSCSI would refuse it. */
    private static ChapPolicy policy(String target, String initiator, ChapSecrets secrets) throws ApiException {
        try {
            return new ChapPolicy(new ChapCredentials(initiator, secrets.initiatorSecret()),
                    secrets.targetSecret() == null ? null : new ChapCredentials(target, secrets.targetSecret()));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest("InvalidParameters", e.getMessage());
        }
    }

    private void save(String target, String initiator, ChapSecrets secrets) throws ApiException {
        try {
            state.setChap(target, initiator, secrets);
        } catch (IOException e) {
            throw ApiException.internal("cannot keep the CHAP credentials: " + e.getMessage());
        }
        apply(target);
    }

    private void apply(String targetName) throws ApiException {
        TargetDefinition target = catalog.find(targetName).orElse(null);
        if (target == null) {
            return;
        }
        Map<String, ChapPolicy> policies = new HashMap<>();
        for (var entry : state.chap(targetName).entrySet()) {
            policies.put(entry.getKey(), policy(targetName, entry.getKey(), entry.getValue()));
        }
        catalog.replace(target.withInitiatorChap(policies));
    }
}
