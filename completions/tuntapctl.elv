
use builtin;
use str;

set edit:completion:arg-completer[tuntapctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'tuntapctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'tuntapctl'= {
            cand -N 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --netns 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --socket 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)'
            cand -j 'Machine-readable JSON output'
            cand --json 'Machine-readable JSON output'
            cand -q 'Print nothing on success (errors still go to stderr)'
            cand --quiet 'Print nothing on success (errors still go to stderr)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Create a persistent tun or tap interface'
            cand create 'Create a persistent tun or tap interface'
            cand del 'Delete tun/tap interfaces'
            cand delete 'Delete tun/tap interfaces'
            cand rm 'Delete tun/tap interfaces'
            cand set 'Change an existing tun/tap interface'
            cand list 'List tun/tap interfaces'
            cand ls 'List tun/tap interfaces'
            cand show 'Show tun/tap interfaces in full'
            cand apply 'Make the system match a declared set of interfaces (JSON or TOML)'
            cand batch 'Run many commands, one per line, in one process'
            cand completions 'Print a shell completion script'
            cand tunctl 'Act like tunctl (uml-utilities): -b -u -g -t -f -d, plus -n and -p'
            cand cni 'Run as a CNI plugin: a tap in a container''s network namespace'
            cand doctor 'Explain whether a user could attach to an interface, and why not'
            cand monitor 'Follow tun/tap events (created, up, attached, deleted, ...)'
            cand serve 'Let users make their own taps: the root service that runs add, set and del for them as a policy file allows'
            cand bridge-helper 'qemu''s bridge helper: a tap from the service, passed to qemu'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tuntapctl;add'= {
            cand -m 'tun (layer 3, IP packets) or tap (layer 2, Ethernet frames) [default: tun if NAME starts with "tun", else tap]'
            cand --mode 'tun (layer 3, IP packets) or tap (layer 2, Ethernet frames) [default: tun if NAME starts with "tun", else tap]'
            cand -u 'Owner: the user (name or uid) allowed to attach'
            cand --user 'Owner: the user (name or uid) allowed to attach'
            cand -g 'Group (name or gid) whose members may attach'
            cand --group 'Group (name or gid) whose members may attach'
            cand --mac 'MAC address (tap only), or "random" for a locally administered one'
            cand --mtu 'MTU in bytes'
            cand --txqueuelen 'Transmit queue length in packets'
            cand -a 'Add an address, ADDR/PREFIX (IPv4 or IPv6); a bare ADDR is a host address. Repeatable'
            cand --address 'Add an address, ADDR/PREFIX (IPv4 or IPv6); a bare ADDR is a host address. Repeatable'
            cand --peer 'Make the first address point-to-point with this peer'
            cand --master 'Make it a port of this bridge (or bond, vrf), which must exist'
            cand --alias 'A label for the interface (IFLA_IFALIAS), e.g. "vm1 eth0"'
            cand --addrgenmode 'How the kernel makes the IPv6 link-local address; none = no link-local address (usual for bridge ports). Set before the link can get a carrier'
            cand -N 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --netns 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --socket 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)'
            cand --tun 'Same as --mode tun'
            cand --tap 'Same as --mode tap'
            cand --pi 'Keep the 4-byte packet information header (default: IFF_NO_PI)'
            cand --vnet-hdr 'Enable the virtio-net header (IFF_VNET_HDR)'
            cand --multi-queue 'Create a multi-queue device (IFF_MULTI_QUEUE)'
            cand --up 'Bring the link up after configuring it'
            cand --exist-ok 'If NAME exists as a tun/tap of the same mode, bring it to the requested state instead of failing'
            cand --dry-run 'Check everything and print what would be done, changing nothing'
            cand -b 'Print only the interface name'
            cand --brief 'Print only the interface name'
            cand -j 'Machine-readable JSON output'
            cand --json 'Machine-readable JSON output'
            cand -q 'Print nothing on success (errors still go to stderr)'
            cand --quiet 'Print nothing on success (errors still go to stderr)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tuntapctl;create'= {
            cand -m 'tun (layer 3, IP packets) or tap (layer 2, Ethernet frames) [default: tun if NAME starts with "tun", else tap]'
            cand --mode 'tun (layer 3, IP packets) or tap (layer 2, Ethernet frames) [default: tun if NAME starts with "tun", else tap]'
            cand -u 'Owner: the user (name or uid) allowed to attach'
            cand --user 'Owner: the user (name or uid) allowed to attach'
            cand -g 'Group (name or gid) whose members may attach'
            cand --group 'Group (name or gid) whose members may attach'
            cand --mac 'MAC address (tap only), or "random" for a locally administered one'
            cand --mtu 'MTU in bytes'
            cand --txqueuelen 'Transmit queue length in packets'
            cand -a 'Add an address, ADDR/PREFIX (IPv4 or IPv6); a bare ADDR is a host address. Repeatable'
            cand --address 'Add an address, ADDR/PREFIX (IPv4 or IPv6); a bare ADDR is a host address. Repeatable'
            cand --peer 'Make the first address point-to-point with this peer'
            cand --master 'Make it a port of this bridge (or bond, vrf), which must exist'
            cand --alias 'A label for the interface (IFLA_IFALIAS), e.g. "vm1 eth0"'
            cand --addrgenmode 'How the kernel makes the IPv6 link-local address; none = no link-local address (usual for bridge ports). Set before the link can get a carrier'
            cand -N 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --netns 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --socket 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)'
            cand --tun 'Same as --mode tun'
            cand --tap 'Same as --mode tap'
            cand --pi 'Keep the 4-byte packet information header (default: IFF_NO_PI)'
            cand --vnet-hdr 'Enable the virtio-net header (IFF_VNET_HDR)'
            cand --multi-queue 'Create a multi-queue device (IFF_MULTI_QUEUE)'
            cand --up 'Bring the link up after configuring it'
            cand --exist-ok 'If NAME exists as a tun/tap of the same mode, bring it to the requested state instead of failing'
            cand --dry-run 'Check everything and print what would be done, changing nothing'
            cand -b 'Print only the interface name'
            cand --brief 'Print only the interface name'
            cand -j 'Machine-readable JSON output'
            cand --json 'Machine-readable JSON output'
            cand -q 'Print nothing on success (errors still go to stderr)'
            cand --quiet 'Print nothing on success (errors still go to stderr)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tuntapctl;del'= {
            cand -N 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --netns 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --socket 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)'
            cand --missing-ok 'Succeed when an interface does not exist'
            cand --force 'Delete even while processes are attached (they get EBADFD)'
            cand --dry-run 'Check everything and print what would be deleted, deleting nothing'
            cand -j 'Machine-readable JSON output'
            cand --json 'Machine-readable JSON output'
            cand -q 'Print nothing on success (errors still go to stderr)'
            cand --quiet 'Print nothing on success (errors still go to stderr)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tuntapctl;delete'= {
            cand -N 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --netns 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --socket 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)'
            cand --missing-ok 'Succeed when an interface does not exist'
            cand --force 'Delete even while processes are attached (they get EBADFD)'
            cand --dry-run 'Check everything and print what would be deleted, deleting nothing'
            cand -j 'Machine-readable JSON output'
            cand --json 'Machine-readable JSON output'
            cand -q 'Print nothing on success (errors still go to stderr)'
            cand --quiet 'Print nothing on success (errors still go to stderr)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tuntapctl;rm'= {
            cand -N 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --netns 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --socket 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)'
            cand --missing-ok 'Succeed when an interface does not exist'
            cand --force 'Delete even while processes are attached (they get EBADFD)'
            cand --dry-run 'Check everything and print what would be deleted, deleting nothing'
            cand -j 'Machine-readable JSON output'
            cand --json 'Machine-readable JSON output'
            cand -q 'Print nothing on success (errors still go to stderr)'
            cand --quiet 'Print nothing on success (errors still go to stderr)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tuntapctl;set'= {
            cand -u 'New owner (name or uid); an owner can be changed but never cleared'
            cand --user 'New owner (name or uid); an owner can be changed but never cleared'
            cand -g 'New group (name or gid); a group can be changed but never cleared'
            cand --group 'New group (name or gid); a group can be changed but never cleared'
            cand --mac 'MAC address (tap only), or "random"'
            cand --mtu 'MTU in bytes'
            cand --txqueuelen 'Transmit queue length in packets'
            cand -a 'Add an address, ADDR/PREFIX. Repeatable'
            cand --address 'Add an address, ADDR/PREFIX. Repeatable'
            cand --del-address 'Remove an address: ADDR whatever its prefix, or exactly ADDR/PREFIX. Repeatable'
            cand --carrier 'Carrier on or off (on needs a process attached)'
            cand --master 'Make it a port of this bridge (or bond, vrf), which must exist'
            cand --alias 'A label for the interface (IFLA_IFALIAS); "" removes it'
            cand --addrgenmode 'How the kernel makes the IPv6 link-local address; none also removes the link-local address it already made'
            cand --rename 'Give the interface a new name (same rules as add); works while it is up and attached'
            cand --move-to 'Move it to another network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID. Owner, group, persistence, MAC, MTU and alias go with it; the kernel drops its addresses and master and brings it down'
            cand -N 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --netns 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --socket 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)'
            cand --up 'Bring the link up'
            cand --down 'Bring the link down'
            cand --flush-addresses 'Remove every address except the kernel''s own IPv6 link-local ones'
            cand --nomaster 'Free it from its bridge (or bond, vrf)'
            cand -j 'Machine-readable JSON output'
            cand --json 'Machine-readable JSON output'
            cand -q 'Print nothing on success (errors still go to stderr)'
            cand --quiet 'Print nothing on success (errors still go to stderr)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tuntapctl;list'= {
            cand -m 'Only interfaces of this mode'
            cand --mode 'Only interfaces of this mode'
            cand -u 'Only interfaces owned by USER (name or uid)'
            cand --user 'Only interfaces owned by USER (name or uid)'
            cand -g 'Only interfaces of GROUP (name or gid)'
            cand --group 'Only interfaces of GROUP (name or gid)'
            cand --master 'Only the ports of this bridge (or bond, vrf)'
            cand -N 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --netns 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --socket 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)'
            cand --up 'Only interfaces that are up'
            cand --down 'Only interfaces that are down'
            cand --stats 'Add the traffic counters: rx/tx packets, bytes, errors, dropped'
            cand -j 'Machine-readable JSON output'
            cand --json 'Machine-readable JSON output'
            cand -q 'Print nothing on success (errors still go to stderr)'
            cand --quiet 'Print nothing on success (errors still go to stderr)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tuntapctl;ls'= {
            cand -m 'Only interfaces of this mode'
            cand --mode 'Only interfaces of this mode'
            cand -u 'Only interfaces owned by USER (name or uid)'
            cand --user 'Only interfaces owned by USER (name or uid)'
            cand -g 'Only interfaces of GROUP (name or gid)'
            cand --group 'Only interfaces of GROUP (name or gid)'
            cand --master 'Only the ports of this bridge (or bond, vrf)'
            cand -N 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --netns 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --socket 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)'
            cand --up 'Only interfaces that are up'
            cand --down 'Only interfaces that are down'
            cand --stats 'Add the traffic counters: rx/tx packets, bytes, errors, dropped'
            cand -j 'Machine-readable JSON output'
            cand --json 'Machine-readable JSON output'
            cand -q 'Print nothing on success (errors still go to stderr)'
            cand --quiet 'Print nothing on success (errors still go to stderr)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tuntapctl;show'= {
            cand -N 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --netns 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --socket 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)'
            cand -j 'Machine-readable JSON output'
            cand --json 'Machine-readable JSON output'
            cand -q 'Print nothing on success (errors still go to stderr)'
            cand --quiet 'Print nothing on success (errors still go to stderr)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tuntapctl;apply'= {
            cand -N 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --netns 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --socket 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)'
            cand --dry-run 'Print the plan and change nothing'
            cand --prune 'Also delete tun/tap interfaces that the file does not list'
            cand -j 'Machine-readable JSON output'
            cand --json 'Machine-readable JSON output'
            cand -q 'Print nothing on success (errors still go to stderr)'
            cand --quiet 'Print nothing on success (errors still go to stderr)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tuntapctl;batch'= {
            cand -N 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --netns 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --socket 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)'
            cand --force 'Go on after a line that fails when it runs; exit non-zero at the end with a summary. Every line is parsed first: one that does not parse (or names an unknown user or group) stops the batch before any line runs, even with --force'
            cand --dry-run 'Parse and check every line (syntax, names, users, groups) and list the commands that would run; change nothing. Lines are not checked against the interfaces there are: a line may need the lines before it'
            cand -j 'Machine-readable JSON output'
            cand --json 'Machine-readable JSON output'
            cand -q 'Print nothing on success (errors still go to stderr)'
            cand --quiet 'Print nothing on success (errors still go to stderr)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tuntapctl;completions'= {
            cand -N 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --netns 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --socket 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)'
            cand -j 'Machine-readable JSON output'
            cand --json 'Machine-readable JSON output'
            cand -q 'Print nothing on success (errors still go to stderr)'
            cand --quiet 'Print nothing on success (errors still go to stderr)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tuntapctl;tunctl'= {
            cand -N 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --netns 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --socket 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)'
            cand -j 'Machine-readable JSON output'
            cand --json 'Machine-readable JSON output'
            cand -q 'Print nothing on success (errors still go to stderr)'
            cand --quiet 'Print nothing on success (errors still go to stderr)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tuntapctl;cni'= {
            cand -N 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --netns 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --socket 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)'
            cand -j 'Machine-readable JSON output'
            cand --json 'Machine-readable JSON output'
            cand -q 'Print nothing on success (errors still go to stderr)'
            cand --quiet 'Print nothing on success (errors still go to stderr)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tuntapctl;doctor'= {
            cand -u 'The user (name or uid) the attaching process runs as'
            cand --user 'The user (name or uid) the attaching process runs as'
            cand -g 'A group (name or gid) the process has; repeatable. Default: the user''s groups from the group database'
            cand --group 'A group (name or gid) the process has; repeatable. Default: the user''s groups from the group database'
            cand -N 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --netns 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --socket 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)'
            cand --tun 'The attacher asks for a tun (IFF_TUN) [default: the device''s mode]'
            cand --tap 'The attacher asks for a tap (IFF_TAP)'
            cand --pi 'The attacher keeps the packet information header (no IFF_NO_PI)'
            cand --vnet-hdr 'The attacher asks for the virtio-net header (IFF_VNET_HDR)'
            cand --multi-queue 'The attacher asks for a queue of a multi-queue device (IFF_MULTI_QUEUE)'
            cand --try 'Really attach as the user in a child process, then detach (the carrier flickers on and off)'
            cand -j 'Machine-readable JSON output'
            cand --json 'Machine-readable JSON output'
            cand -q 'Print nothing on success (errors still go to stderr)'
            cand --quiet 'Print nothing on success (errors still go to stderr)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tuntapctl;monitor'= {
            cand -c 'Exit after N events'
            cand --count 'Exit after N events'
            cand -N 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --netns 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --socket 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)'
            cand -j 'Machine-readable JSON output'
            cand --json 'Machine-readable JSON output'
            cand -q 'Print nothing on success (errors still go to stderr)'
            cand --quiet 'Print nothing on success (errors still go to stderr)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tuntapctl;serve'= {
            cand --policy 'The policy file'
            cand -N 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --netns 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --socket 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)'
            cand --check 'Check the policy file (ownership, syntax, users, groups) and exit'
            cand -j 'Machine-readable JSON output'
            cand --json 'Machine-readable JSON output'
            cand -q 'Print nothing on success (errors still go to stderr)'
            cand --quiet 'Print nothing on success (errors still go to stderr)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tuntapctl;bridge-helper'= {
            cand --br 'The bridge to put the tap on'
            cand --fd 'The socket qemu passed, to send the tap''s fd over'
            cand -N 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --netns 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID'
            cand --socket 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)'
            cand --use-vnet 'Ask for a tap with a virtio-net header (IFF_VNET_HDR)'
            cand -j 'Machine-readable JSON output'
            cand --json 'Machine-readable JSON output'
            cand -q 'Print nothing on success (errors still go to stderr)'
            cand --quiet 'Print nothing on success (errors still go to stderr)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tuntapctl;help'= {
            cand add 'Create a persistent tun or tap interface'
            cand del 'Delete tun/tap interfaces'
            cand set 'Change an existing tun/tap interface'
            cand list 'List tun/tap interfaces'
            cand show 'Show tun/tap interfaces in full'
            cand apply 'Make the system match a declared set of interfaces (JSON or TOML)'
            cand batch 'Run many commands, one per line, in one process'
            cand completions 'Print a shell completion script'
            cand tunctl 'Act like tunctl (uml-utilities): -b -u -g -t -f -d, plus -n and -p'
            cand cni 'Run as a CNI plugin: a tap in a container''s network namespace'
            cand doctor 'Explain whether a user could attach to an interface, and why not'
            cand monitor 'Follow tun/tap events (created, up, attached, deleted, ...)'
            cand serve 'Let users make their own taps: the root service that runs add, set and del for them as a policy file allows'
            cand bridge-helper 'qemu''s bridge helper: a tap from the service, passed to qemu'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tuntapctl;help;add'= {
        }
        &'tuntapctl;help;del'= {
        }
        &'tuntapctl;help;set'= {
        }
        &'tuntapctl;help;list'= {
        }
        &'tuntapctl;help;show'= {
        }
        &'tuntapctl;help;apply'= {
        }
        &'tuntapctl;help;batch'= {
        }
        &'tuntapctl;help;completions'= {
        }
        &'tuntapctl;help;tunctl'= {
        }
        &'tuntapctl;help;cni'= {
        }
        &'tuntapctl;help;doctor'= {
        }
        &'tuntapctl;help;monitor'= {
        }
        &'tuntapctl;help;serve'= {
        }
        &'tuntapctl;help;bridge-helper'= {
        }
        &'tuntapctl;help;help'= {
        }
    ]
    $completions[$command]
}
