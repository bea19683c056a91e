/** Metrics under the CloudWatch names ops staff know, served for Prometheus, and the health endpoint. */
package org.storagegateway.gateway.metrics;
