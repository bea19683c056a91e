#!/bin/bash
# chap-digest.sh - the Linux kernel initiator (open-iscsi) in the harness guest against a mutual-CHAP target with CRC32C header and data digests.
. "$HARNESS_DIR/lib.sh"
IQN=${DISK_IQN:?}
scenario_cleanup() {
    [ -n "$(iscsi_sid "$IQN")" ] && iscsi_logout "$IQN" >/dev/null 2>&1
    return 0
}
set_initiator_name
step "discovery" iscsi_discover || abort "discovery failed"
iscsiadm -m node -o new -T "$IQN" -p "$PORTAL" >/dev/null 2>&1
set_node() { iscsiadm -m node -T "$IQN" -p "$PORTAL" -o update -n "$1" -v "$2"; }
set_node node.session.auth.authmethod CHAP
set_node node.session.auth.username alice
set_node node.session.auth.password wrong-secret
step "login with a wrong secret is refused" bash -c "! iscsiadm -m node -T $IQN -p $PORTAL --login"
set_node node.session.auth.password alice-secret
set_node node.session.auth.username_in gateway
set_node node.session.auth.password_in gateway-secret
set_node node.conn[0].iscsi.HeaderDigest CRC32C
set_node node.conn[0].iscsi.DataDigest CRC32C
step "login (mutual CHAP, digests)" iscsi_login "$IQN" || abort "login failed"
iscsiadm -m session -P 2 | grep -E "HeaderDigest|DataDigest|CHAP|username" | tee "$HARNESS_OUT/session.txt"
step "header digest negotiated" grep -q "HeaderDigest: CRC32C" "$HARNESS_OUT/session.txt"
step "data digest negotiated" grep -q "DataDigest: CRC32C" "$HARNESS_OUT/session.txt"
DEV=$(iscsi_devices "$IQN" | awk '$2==0 && $4!="-" {print "/dev/"$4; exit}')
step "block device present" test -b "${DEV:-/nonexistent}" || abort "no disk"
head -c 64M /dev/urandom > /root/pattern
step "write 64MiB O_DIRECT" dd if=/root/pattern of="$DEV" bs=1M oflag=direct status=none
step "read back and compare" bash -c "cmp <(dd if=$DEV bs=1M count=64 iflag=direct status=none) /root/pattern"
step "logout" iscsi_logout "$IQN"
finish
