/** The AWS Storage Gateway API: the JSON 1.1 protocol, SigV4, and the operations of this appliance. */
package org.storagegateway.gateway.api;
