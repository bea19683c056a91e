/** The object store: S3 access, the embedded S3-compatible server, and chunk objects in it. */
package org.storagegateway.gateway.cloud;
