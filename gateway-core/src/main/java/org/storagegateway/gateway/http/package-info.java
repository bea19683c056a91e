/** A small HTTP server the management and metrics endpoints share. */
package org.storagegateway.gateway.http;
