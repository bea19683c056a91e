/**
 * The virtual tape library (a later issue): an SMC-3 medium changer and SSC tape drives plugged into the SCSI layer
 * of {@code iscsi-target} as device types, cartridges with the on-tape format (records, filemarks, end-of-data), tape
 * storage in the cache and in S3, and the shelf (archive to Glacier storage classes, retrieval).
 */
package org.storagegateway.vtl;
