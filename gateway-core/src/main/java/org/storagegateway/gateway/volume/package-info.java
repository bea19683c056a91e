/** Volumes of the cache as the gateway serves them: their chunk source, and the volumes made through the API. */
package org.storagegateway.gateway.volume;
