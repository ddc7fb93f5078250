# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_tuntapctl_global_optspecs
    string join \n j/json N/netns= q/quiet socket= h/help V/version
end

function __fish_tuntapctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_tuntapctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_tuntapctl_using_subcommand
    set -l cmd (__fish_tuntapctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -s N -l netns -d 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID' -r
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -l socket -d 'The tuntapctl service\'s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)' -r
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -s j -l json -d 'Machine-readable JSON output'
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -s h -l help -d 'Print help'
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -s V -l version -d 'Print version'
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -f -a "add" -d 'Create a persistent tun or tap interface'
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -f -a "create" -d 'Create a persistent tun or tap interface'
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -f -a "del" -d 'Delete tun/tap interfaces'
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -f -a "delete" -d 'Delete tun/tap interfaces'
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -f -a "rm" -d 'Delete tun/tap interfaces'
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -f -a "set" -d 'Change an existing tun/tap interface'
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -f -a "list" -d 'List tun/tap interfaces'
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -f -a "ls" -d 'List tun/tap interfaces'
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -f -a "show" -d 'Show tun/tap interfaces in full'
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -f -a "apply" -d 'Make the system match a declared set of interfaces (JSON or TOML)'
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -f -a "batch" -d 'Run many commands, one per line, in one process'
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -f -a "tunctl" -d 'Act like tunctl (uml-utilities): -b -u -g -t -f -d, plus -n and -p'
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -f -a "cni" -d 'Run as a CNI plugin: a tap in a container\'s network namespace'
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -f -a "doctor" -d 'Explain whether a user could attach to an interface, and why not'
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -f -a "monitor" -d 'Follow tun/tap events (created, up, attached, deleted, ...)'
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -f -a "serve" -d 'Let users make their own taps: the root service that runs add, set and del for them as a policy file allows'
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -f -a "bridge-helper" -d 'qemu\'s bridge helper: a tap from the service, passed to qemu'
complete -c tuntapctl -n "__fish_tuntapctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -s m -l mode -d 'tun (layer 3, IP packets) or tap (layer 2, Ethernet frames) [default: tun if NAME starts with "tun", else tap]' -r -f -a "tun\t''
tap\t''"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -s u -l user -d 'Owner: the user (name or uid) allowed to attach' -r -f -a "(__fish_complete_users)"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -s g -l group -d 'Group (name or gid) whose members may attach' -r -f -a "(__fish_complete_groups)"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -l mac -d 'MAC address (tap only), or "random" for a locally administered one' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -l mtu -d 'MTU in bytes' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -l txqueuelen -d 'Transmit queue length in packets' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -s a -l address -d 'Add an address, ADDR/PREFIX (IPv4 or IPv6); a bare ADDR is a host address. Repeatable' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -l peer -d 'Make the first address point-to-point with this peer' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -l master -d 'Make it a port of this bridge (or bond, vrf), which must exist' -r -f -a "(tuntapctl __complete-masters 2>/dev/null)"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -l alias -d 'A label for the interface (IFLA_IFALIAS), e.g. "vm1 eth0"' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -l addrgenmode -d 'How the kernel makes the IPv6 link-local address; none = no link-local address (usual for bridge ports). Set before the link can get a carrier' -r -f -a "eui64\t'A link-local address from the MAC (the kernel\'s default)'
none\t'No IPv6 link-local address (usual for bridge ports)'
stable_secret\t'A stable address from net.ipv6.conf.*.stable_secret (RFC 7217)'
random\t'A random link-local address'"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -s N -l netns -d 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -l socket -d 'The tuntapctl service\'s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -l tun -d 'Same as --mode tun'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -l tap -d 'Same as --mode tap'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -l pi -d 'Keep the 4-byte packet information header (default: IFF_NO_PI)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -l vnet-hdr -d 'Enable the virtio-net header (IFF_VNET_HDR)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -l multi-queue -d 'Create a multi-queue device (IFF_MULTI_QUEUE)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -l up -d 'Bring the link up after configuring it'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -l exist-ok -d 'If NAME exists as a tun/tap of the same mode, bring it to the requested state instead of failing'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -l dry-run -d 'Check everything and print what would be done, changing nothing'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -s b -l brief -d 'Print only the interface name'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -s j -l json -d 'Machine-readable JSON output'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -s m -l mode -d 'tun (layer 3, IP packets) or tap (layer 2, Ethernet frames) [default: tun if NAME starts with "tun", else tap]' -r -f -a "tun\t''
tap\t''"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -s u -l user -d 'Owner: the user (name or uid) allowed to attach' -r -f -a "(__fish_complete_users)"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -s g -l group -d 'Group (name or gid) whose members may attach' -r -f -a "(__fish_complete_groups)"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -l mac -d 'MAC address (tap only), or "random" for a locally administered one' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -l mtu -d 'MTU in bytes' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -l txqueuelen -d 'Transmit queue length in packets' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -s a -l address -d 'Add an address, ADDR/PREFIX (IPv4 or IPv6); a bare ADDR is a host address. Repeatable' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -l peer -d 'Make the first address point-to-point with this peer' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -l master -d 'Make it a port of this bridge (or bond, vrf), which must exist' -r -f -a "(tuntapctl __complete-masters 2>/dev/null)"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -l alias -d 'A label for the interface (IFLA_IFALIAS), e.g. "vm1 eth0"' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -l addrgenmode -d 'How the kernel makes the IPv6 link-local address; none = no link-local address (usual for bridge ports). Set before the link can get a carrier' -r -f -a "eui64\t'A link-local address from the MAC (the kernel\'s default)'
none\t'No IPv6 link-local address (usual for bridge ports)'
stable_secret\t'A stable address from net.ipv6.conf.*.stable_secret (RFC 7217)'
random\t'A random link-local address'"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -s N -l netns -d 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -l socket -d 'The tuntapctl service\'s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -l tun -d 'Same as --mode tun'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -l tap -d 'Same as --mode tap'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -l pi -d 'Keep the 4-byte packet information header (default: IFF_NO_PI)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -l vnet-hdr -d 'Enable the virtio-net header (IFF_VNET_HDR)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -l multi-queue -d 'Create a multi-queue device (IFF_MULTI_QUEUE)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -l up -d 'Bring the link up after configuring it'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -l exist-ok -d 'If NAME exists as a tun/tap of the same mode, bring it to the requested state instead of failing'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -l dry-run -d 'Check everything and print what would be done, changing nothing'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -s b -l brief -d 'Print only the interface name'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -s j -l json -d 'Machine-readable JSON output'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand del" -s N -l netns -d 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand del" -l socket -d 'The tuntapctl service\'s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand del" -l missing-ok -d 'Succeed when an interface does not exist'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand del" -l force -d 'Delete even while processes are attached (they get EBADFD)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand del" -l dry-run -d 'Check everything and print what would be deleted, deleting nothing'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand del" -s j -l json -d 'Machine-readable JSON output'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand del" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand del" -s h -l help -d 'Print help'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand delete" -s N -l netns -d 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand delete" -l socket -d 'The tuntapctl service\'s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand delete" -l missing-ok -d 'Succeed when an interface does not exist'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand delete" -l force -d 'Delete even while processes are attached (they get EBADFD)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand delete" -l dry-run -d 'Check everything and print what would be deleted, deleting nothing'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand delete" -s j -l json -d 'Machine-readable JSON output'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand delete" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand delete" -s h -l help -d 'Print help'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand rm" -s N -l netns -d 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand rm" -l socket -d 'The tuntapctl service\'s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand rm" -l missing-ok -d 'Succeed when an interface does not exist'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand rm" -l force -d 'Delete even while processes are attached (they get EBADFD)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand rm" -l dry-run -d 'Check everything and print what would be deleted, deleting nothing'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand rm" -s j -l json -d 'Machine-readable JSON output'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand rm" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand rm" -s h -l help -d 'Print help'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set" -s u -l user -d 'New owner (name or uid); an owner can be changed but never cleared' -r -f -a "(__fish_complete_users)"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set" -s g -l group -d 'New group (name or gid); a group can be changed but never cleared' -r -f -a "(__fish_complete_groups)"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set" -l mac -d 'MAC address (tap only), or "random"' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set" -l mtu -d 'MTU in bytes' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set" -l txqueuelen -d 'Transmit queue length in packets' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set" -s a -l address -d 'Add an address, ADDR/PREFIX. Repeatable' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set" -l del-address -d 'Remove an address: ADDR whatever its prefix, or exactly ADDR/PREFIX. Repeatable' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set" -l carrier -d 'Carrier on or off (on needs a process attached)' -r -f -a "on\t''
off\t''"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set" -l master -d 'Make it a port of this bridge (or bond, vrf), which must exist' -r -f -a "(tuntapctl __complete-masters 2>/dev/null)"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set" -l alias -d 'A label for the interface (IFLA_IFALIAS); "" removes it' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set" -l addrgenmode -d 'How the kernel makes the IPv6 link-local address; none also removes the link-local address it already made' -r -f -a "eui64\t'A link-local address from the MAC (the kernel\'s default)'
none\t'No IPv6 link-local address (usual for bridge ports)'
stable_secret\t'A stable address from net.ipv6.conf.*.stable_secret (RFC 7217)'
random\t'A random link-local address'"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set" -l rename -d 'Give the interface a new name (same rules as add); works while it is up and attached' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set" -l move-to -d 'Move it to another network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID. Owner, group, persistence, MAC, MTU and alias go with it; the kernel drops its addresses and master and brings it down' -r -f -a "(tuntapctl __complete-netns 2>/dev/null)"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set" -s N -l netns -d 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set" -l socket -d 'The tuntapctl service\'s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set" -l up -d 'Bring the link up'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set" -l down -d 'Bring the link down'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set" -l flush-addresses -d 'Remove every address except the kernel\'s own IPv6 link-local ones'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set" -l nomaster -d 'Free it from its bridge (or bond, vrf)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set" -s j -l json -d 'Machine-readable JSON output'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand list" -s m -l mode -d 'Only interfaces of this mode' -r -f -a "tun\t''
tap\t''"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand list" -s u -l user -d 'Only interfaces owned by USER (name or uid)' -r -f -a "(__fish_complete_users)"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand list" -s g -l group -d 'Only interfaces of GROUP (name or gid)' -r -f -a "(__fish_complete_groups)"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand list" -l master -d 'Only the ports of this bridge (or bond, vrf)' -r -f -a "(tuntapctl __complete-masters 2>/dev/null)"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand list" -s N -l netns -d 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand list" -l socket -d 'The tuntapctl service\'s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand list" -l up -d 'Only interfaces that are up'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand list" -l down -d 'Only interfaces that are down'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand list" -l stats -d 'Add the traffic counters: rx/tx packets, bytes, errors, dropped'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand list" -s j -l json -d 'Machine-readable JSON output'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand list" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand list" -s h -l help -d 'Print help'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand ls" -s m -l mode -d 'Only interfaces of this mode' -r -f -a "tun\t''
tap\t''"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand ls" -s u -l user -d 'Only interfaces owned by USER (name or uid)' -r -f -a "(__fish_complete_users)"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand ls" -s g -l group -d 'Only interfaces of GROUP (name or gid)' -r -f -a "(__fish_complete_groups)"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand ls" -l master -d 'Only the ports of this bridge (or bond, vrf)' -r -f -a "(tuntapctl __complete-masters 2>/dev/null)"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand ls" -s N -l netns -d 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand ls" -l socket -d 'The tuntapctl service\'s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand ls" -l up -d 'Only interfaces that are up'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand ls" -l down -d 'Only interfaces that are down'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand ls" -l stats -d 'Add the traffic counters: rx/tx packets, bytes, errors, dropped'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand ls" -s j -l json -d 'Machine-readable JSON output'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand ls" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand ls" -s h -l help -d 'Print help'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand show" -s N -l netns -d 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand show" -l socket -d 'The tuntapctl service\'s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand show" -s j -l json -d 'Machine-readable JSON output'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand show" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand show" -s h -l help -d 'Print help'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand apply" -s N -l netns -d 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand apply" -l socket -d 'The tuntapctl service\'s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand apply" -l dry-run -d 'Print the plan and change nothing'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand apply" -l prune -d 'Also delete tun/tap interfaces that the file does not list'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand apply" -s j -l json -d 'Machine-readable JSON output'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand apply" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand apply" -s h -l help -d 'Print help'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand batch" -s N -l netns -d 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand batch" -l socket -d 'The tuntapctl service\'s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand batch" -l force -d 'Go on after a line that fails when it runs; exit non-zero at the end with a summary. Every line is parsed first: one that does not parse (or names an unknown user or group) stops the batch before any line runs, even with --force'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand batch" -l dry-run -d 'Parse and check every line (syntax, names, users, groups) and list the commands that would run; change nothing. Lines are not checked against the interfaces there are: a line may need the lines before it'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand batch" -s j -l json -d 'Machine-readable JSON output'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand batch" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand batch" -s h -l help -d 'Print help'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand completions" -s N -l netns -d 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand completions" -l socket -d 'The tuntapctl service\'s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand completions" -s j -l json -d 'Machine-readable JSON output'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand completions" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand tunctl" -s N -l netns -d 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand tunctl" -l socket -d 'The tuntapctl service\'s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand tunctl" -s j -l json -d 'Machine-readable JSON output'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand tunctl" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand tunctl" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand cni" -s N -l netns -d 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand cni" -l socket -d 'The tuntapctl service\'s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand cni" -s j -l json -d 'Machine-readable JSON output'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand cni" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand cni" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand doctor" -s u -l user -d 'The user (name or uid) the attaching process runs as' -r -f -a "(__fish_complete_users)"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand doctor" -s g -l group -d 'A group (name or gid) the process has; repeatable. Default: the user\'s groups from the group database' -r -f -a "(__fish_complete_groups)"
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand doctor" -s N -l netns -d 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand doctor" -l socket -d 'The tuntapctl service\'s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand doctor" -l tun -d 'The attacher asks for a tun (IFF_TUN) [default: the device\'s mode]'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand doctor" -l tap -d 'The attacher asks for a tap (IFF_TAP)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand doctor" -l pi -d 'The attacher keeps the packet information header (no IFF_NO_PI)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand doctor" -l vnet-hdr -d 'The attacher asks for the virtio-net header (IFF_VNET_HDR)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand doctor" -l multi-queue -d 'The attacher asks for a queue of a multi-queue device (IFF_MULTI_QUEUE)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand doctor" -l try -d 'Really attach as the user in a child process, then detach (the carrier flickers on and off)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand doctor" -s j -l json -d 'Machine-readable JSON output'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand doctor" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand monitor" -s c -l count -d 'Exit after N events' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand monitor" -s N -l netns -d 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand monitor" -l socket -d 'The tuntapctl service\'s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand monitor" -s j -l json -d 'Machine-readable JSON output'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand monitor" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand monitor" -s h -l help -d 'Print help'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand serve" -l policy -d 'The policy file' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand serve" -s N -l netns -d 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand serve" -l socket -d 'The tuntapctl service\'s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand serve" -l check -d 'Check the policy file (ownership, syntax, users, groups) and exit'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand serve" -s j -l json -d 'Machine-readable JSON output'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand serve" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand serve" -s h -l help -d 'Print help'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand bridge-helper" -l br -d 'The bridge to put the tap on' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand bridge-helper" -l fd -d 'The socket qemu passed, to send the tap\'s fd over' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand bridge-helper" -s N -l netns -d 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand bridge-helper" -l socket -d 'The tuntapctl service\'s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)' -r
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand bridge-helper" -l use-vnet -d 'Ask for a tap with a virtio-net header (IFF_VNET_HDR)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand bridge-helper" -s j -l json -d 'Machine-readable JSON output'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand bridge-helper" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand bridge-helper" -s h -l help -d 'Print help'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand help; and not __fish_seen_subcommand_from add del set list show apply batch completions tunctl cni doctor monitor serve bridge-helper help" -f -a "add" -d 'Create a persistent tun or tap interface'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand help; and not __fish_seen_subcommand_from add del set list show apply batch completions tunctl cni doctor monitor serve bridge-helper help" -f -a "del" -d 'Delete tun/tap interfaces'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand help; and not __fish_seen_subcommand_from add del set list show apply batch completions tunctl cni doctor monitor serve bridge-helper help" -f -a "set" -d 'Change an existing tun/tap interface'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand help; and not __fish_seen_subcommand_from add del set list show apply batch completions tunctl cni doctor monitor serve bridge-helper help" -f -a "list" -d 'List tun/tap interfaces'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand help; and not __fish_seen_subcommand_from add del set list show apply batch completions tunctl cni doctor monitor serve bridge-helper help" -f -a "show" -d 'Show tun/tap interfaces in full'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand help; and not __fish_seen_subcommand_from add del set list show apply batch completions tunctl cni doctor monitor serve bridge-helper help" -f -a "apply" -d 'Make the system match a declared set of interfaces (JSON or TOML)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand help; and not __fish_seen_subcommand_from add del set list show apply batch completions tunctl cni doctor monitor serve bridge-helper help" -f -a "batch" -d 'Run many commands, one per line, in one process'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand help; and not __fish_seen_subcommand_from add del set list show apply batch completions tunctl cni doctor monitor serve bridge-helper help" -f -a "completions" -d 'Print a shell completion script'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand help; and not __fish_seen_subcommand_from add del set list show apply batch completions tunctl cni doctor monitor serve bridge-helper help" -f -a "tunctl" -d 'Act like tunctl (uml-utilities): -b -u -g -t -f -d, plus -n and -p'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand help; and not __fish_seen_subcommand_from add del set list show apply batch completions tunctl cni doctor monitor serve bridge-helper help" -f -a "cni" -d 'Run as a CNI plugin: a tap in a container\'s network namespace'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand help; and not __fish_seen_subcommand_from add del set list show apply batch completions tunctl cni doctor monitor serve bridge-helper help" -f -a "doctor" -d 'Explain whether a user could attach to an interface, and why not'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand help; and not __fish_seen_subcommand_from add del set list show apply batch completions tunctl cni doctor monitor serve bridge-helper help" -f -a "monitor" -d 'Follow tun/tap events (created, up, attached, deleted, ...)'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand help; and not __fish_seen_subcommand_from add del set list show apply batch completions tunctl cni doctor monitor serve bridge-helper help" -f -a "serve" -d 'Let users make their own taps: the root service that runs add, set and del for them as a policy file allows'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand help; and not __fish_seen_subcommand_from add del set list show apply batch completions tunctl cni doctor monitor serve bridge-helper help" -f -a "bridge-helper" -d 'qemu\'s bridge helper: a tap from the service, passed to qemu'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand help; and not __fish_seen_subcommand_from add del set list show apply batch completions tunctl cni doctor monitor serve bridge-helper help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'

# Existing tun/tap interfaces, over netlink (tuntapctl __complete-names).
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand del delete rm show list ls" -f -a "(tuntapctl __complete-names 2>/dev/null)" -d 'tun/tap interface'
complete -c tuntapctl -n "__fish_tuntapctl_using_subcommand set; and __fish_tuntapctl_set_needs_name" -f -a "(tuntapctl __complete-names 2>/dev/null)" -d 'tun/tap interface'

function __fish_tuntapctl_set_needs_name
    # True while `set` has no interface name yet (words that are not options).
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_tuntapctl_global_optspecs) -- $cmd 2>/dev/null
    or return 1
    set -e argv[1]
    argparse u/user= g/group= mac= mtu= txqueuelen= up down a/address= del-address= flush-addresses carrier= master= nomaster alias= addrgenmode= rename= move-to= j/json N/netns= q/quiet socket= h/help -- $argv 2>/dev/null
    or return 1
    test (count $argv) -eq 0
end
