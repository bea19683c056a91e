/** The status page ops staff open in a browser. */
package org.storagegateway.gateway.status;
