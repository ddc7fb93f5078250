//! The words of `tuntapctl cni --help` and tuntapctl-cni(8).

pub const ABOUT: &str = "\
Run as a CNI plugin: make a tap (or tun) inside a container's network namespace, for \
Kubernetes, podman, Kata Containers, firecracker-containerd and KubeVirt. A container runtime \
starts it with CNI_COMMAND and the other CNI_* variables set and the network configuration on \
stdin; the result or the CNI error object goes to stdout. The Debian package installs the \
symlink /usr/lib/cni/tuntapctl, so a configuration's \"type\": \"tuntapctl\" finds it. Started \
with CNI_COMMAND set and no argument at all, tuntapctl is this command.";

pub const EXAMPLES: &str = "\
Examples:
  echo '{\"cniVersion\":\"1.0.0\"}' | CNI_COMMAND=VERSION tuntapctl cni   # the versions it speaks
  CNI_COMMAND=ADD CNI_CONTAINERID=c1 CNI_NETNS=/run/netns/c1 CNI_IFNAME=tap0 CNI_PATH=/usr/lib/cni tuntapctl cni < tap.conf   # what a runtime runs
  CNI_COMMAND=DEL CNI_CONTAINERID=c1 CNI_NETNS=/run/netns/c1 CNI_IFNAME=tap0 CNI_PATH=/usr/lib/cni tuntapctl cni < tap.conf   # idempotent";

/// DESCRIPTION of tuntapctl-cni(8), in roff.
pub const MAN_DESCRIPTION: &str = r#"A CNI plugin (Container Network Interface, spec 1.0.0 and 1.1.0): a
container runtime runs it to give a container a tap (or tun) in its network
namespace, for a microVM (Kata Containers, firecracker\-containerd,
KubeVirt) or any process that reads frames from it.
It is started with no arguments and with
.B CNI_COMMAND
set (the runtime runs /usr/lib/cni/tuntapctl, a symlink to the binary), or
as \fBtuntapctl cni\fR.
The network configuration is read from stdin (at most 1 MiB); the result
goes to stdout in the configuration's \fBcniVersion\fR (0.3.1, 0.4.0,
1.0.0 or 1.1.0; 0.3.1 and 0.4.0 results carry \fBips[].version\fR, 1.1.0
results the interface's \fBmtu\fR).
.SS Verbs
.TP
.B ADD
Validates the whole configuration and environment first (nothing is made on
a bad value), runs the IPAM plugin if \fBipam.type\fR is set, enters
\fBCNI_NETNS\fR, creates the tap under a temporary name with the engine of
\fBtuntapctl add\fR (all or nothing), renames it to \fBCNI_IFNAME\fR, brings
it up and applies the IPAM addresses and routes. Any failure removes the
tap and releases the IPAM allocation (DEL to the IPAM plugin).
.TP
.B DEL
Removes the tap and releases the IPAM allocation. A missing namespace or
device is success; a device of that name that is not a tun/tap is left
alone. IPAM is released either way.
.TP
.B CHECK
(0.4.0 and newer) Compares the device with the configuration and
\fBprevResult\fR: mode, owner, group, vnet_hdr, multi_queue and pi flags,
up, MTU, MAC, txqueuelen, alias, bridge and every address; any difference
is error 100 naming each. The IPAM plugin gets the CHECK too.
.TP
.B VERSION
Prints the versions it supports.
.TP
.B STATUS
(1.1.0) Error 50 when /dev/net/tun cannot be opened; otherwise passed on to
the IPAM plugin.
.TP
.B GC
(1.1.0) Passed on to the IPAM plugin with the runtime's
\fBcni.dev/valid\-attachments\fR. The taps themselves live in container
namespaces and go with them.
.SS Configuration
.TP
.B mtu
68 to 65521 for a tap (65535 for a tun); 0 or absent: the kernel's default.
.TP
.B mac
The tap's MAC, or "random". Overridden by \fBCNI_ARGS\fR \fBMAC=\fR, which
is overridden by \fBruntimeConfig.mac\fR (the upstream tap plugin's order).
.TP
.B multiQueue
true: IFF_MULTI_QUEUE.
.TP
.BR owner ", " group
A user or group, by name or number, allowed to attach; resolved before
anything is made (unknown: error 7).
.TP
.B selinuxContext
The SELinux context the tap is created under; error 2 where SELinux is not
enabled.
.TP
.B bridge
A bridge inside the container's namespace that the tap joins.
.TP
.B mode
"tap" (default) or "tun" (a tun has no MAC).
.TP
.B vnetHdr
true: IFF_VNET_HDR (virtio\-net header), as vhost\-net wants.
.TP
.BR txqueuelen ", " alias ", " addrgenmode
As \fBtuntapctl add\fR's options of the same names.
.TP
.B ipam
The IPAM plugin (\fBtype\fR, found in \fBCNI_PATH\fR) and its own options.
Its VERSION must list the configuration's cniVersion, or every verb fails
with error 1 naming the plugin and its versions (Debian 12's
containernetworking\-plugins stop at 1.0.0).
.SS Errors
The CNI error object (\fBcniVersion\fR, \fBcode\fR, \fBmsg\fR,
\fBdetails\fR) on stdout and exit status 1: 1 incompatible version,
2 unsupported field, 3 container unknown (CNI_NETNS missing), 4 invalid
environment variables, 5 I/O failure, 6 failed to decode, 7 invalid
network configuration, 11 try again later, 50 (STATUS) not available,
100 (CHECK) the device differs; an IPAM plugin's own code is passed on.
.SS podman
Podman with its CNI backend (\fBnetwork_backend = "cni"\fR in
containers.conf) loads /etc/cni/net.d; a file taps.conflist:
.PP
.nf
.RS 4
{
  "cniVersion": "1.0.0",
  "name": "taps",
  "plugins": [{
    "type": "tuntapctl",
    "mtu": 1400, "owner": "qemu", "vnetHdr": true,
    "ipam": {"type": "host-local",
             "ranges": [[{"subnet": "10.88.7.0/24"}]],
             "routes": [{"dst": "0.0.0.0/0"}]}
  }]
}
.RE
.fi
.PP
and \fBpodman run \-\-network taps IMAGE\fR gives the container a tap
named eth0 with an address from 10.88.7.0/24.
.SS Kubernetes node
containerd and CRI\-O read the first file of /etc/cni/net.d and look for
plugins in /opt/cni/bin (containerd) or /usr/libexec/cni (CRI\-O): link
/usr/lib/cni/tuntapctl there, or add /usr/lib/cni to the runtime's plugin
path. A second attachment for KubeVirt or Kata through Multus is a
NetworkAttachmentDefinition whose config is:
.PP
.nf
.RS 4
{
  "cniVersion": "0.4.0",
  "name": "vm-tap",
  "type": "tuntapctl",
  "multiQueue": true, "vnetHdr": true, "owner": 107, "group": 107,
  "ipam": {"type": "host-local", "subnet": "10.244.50.0/24"}
}
.RE
.fi
"#;

/// EXIT STATUS of tuntapctl-cni(8): the CNI convention, not tuntapctl's.
pub const EXIT_STATUS: &str = r#".SH EXIT STATUS
0 on success; 1 on any failure, with the CNI error object on standard
output (its \fBcode\fR says what failed, see \fBErrors\fR above) and the
message on standard error.
"#;
