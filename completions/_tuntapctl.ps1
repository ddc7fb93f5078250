
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'tuntapctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'tuntapctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'tuntapctl' {
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--netns', '--netns', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Create a persistent tun or tap interface')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a persistent tun or tap interface')
            [CompletionResult]::new('del', 'del', [CompletionResultType]::ParameterValue, 'Delete tun/tap interfaces')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete tun/tap interfaces')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete tun/tap interfaces')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change an existing tun/tap interface')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List tun/tap interfaces')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List tun/tap interfaces')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show tun/tap interfaces in full')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Make the system match a declared set of interfaces (JSON or TOML)')
            [CompletionResult]::new('batch', 'batch', [CompletionResultType]::ParameterValue, 'Run many commands, one per line, in one process')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('tunctl', 'tunctl', [CompletionResultType]::ParameterValue, 'Act like tunctl (uml-utilities): -b -u -g -t -f -d, plus -n and -p')
            [CompletionResult]::new('cni', 'cni', [CompletionResultType]::ParameterValue, 'Run as a CNI plugin: a tap in a container''s network namespace')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Explain whether a user could attach to an interface, and why not')
            [CompletionResult]::new('monitor', 'monitor', [CompletionResultType]::ParameterValue, 'Follow tun/tap events (created, up, attached, deleted, ...)')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Let users make their own taps: the root service that runs add, set and del for them as a policy file allows')
            [CompletionResult]::new('bridge-helper', 'bridge-helper', [CompletionResultType]::ParameterValue, 'qemu''s bridge helper: a tap from the service, passed to qemu')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tuntapctl;add' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'tun (layer 3, IP packets) or tap (layer 2, Ethernet frames) [default: tun if NAME starts with "tun", else tap]')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'tun (layer 3, IP packets) or tap (layer 2, Ethernet frames) [default: tun if NAME starts with "tun", else tap]')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Owner: the user (name or uid) allowed to attach')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Owner: the user (name or uid) allowed to attach')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Group (name or gid) whose members may attach')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Group (name or gid) whose members may attach')
            [CompletionResult]::new('--mac', '--mac', [CompletionResultType]::ParameterName, 'MAC address (tap only), or "random" for a locally administered one')
            [CompletionResult]::new('--mtu', '--mtu', [CompletionResultType]::ParameterName, 'MTU in bytes')
            [CompletionResult]::new('--txqueuelen', '--txqueuelen', [CompletionResultType]::ParameterName, 'Transmit queue length in packets')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Add an address, ADDR/PREFIX (IPv4 or IPv6); a bare ADDR is a host address. Repeatable')
            [CompletionResult]::new('--address', '--address', [CompletionResultType]::ParameterName, 'Add an address, ADDR/PREFIX (IPv4 or IPv6); a bare ADDR is a host address. Repeatable')
            [CompletionResult]::new('--peer', '--peer', [CompletionResultType]::ParameterName, 'Make the first address point-to-point with this peer')
            [CompletionResult]::new('--master', '--master', [CompletionResultType]::ParameterName, 'Make it a port of this bridge (or bond, vrf), which must exist')
            [CompletionResult]::new('--alias', '--alias', [CompletionResultType]::ParameterName, 'A label for the interface (IFLA_IFALIAS), e.g. "vm1 eth0"')
            [CompletionResult]::new('--addrgenmode', '--addrgenmode', [CompletionResultType]::ParameterName, 'How the kernel makes the IPv6 link-local address; none = no link-local address (usual for bridge ports). Set before the link can get a carrier')
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--netns', '--netns', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)')
            [CompletionResult]::new('--tun', '--tun', [CompletionResultType]::ParameterName, 'Same as --mode tun')
            [CompletionResult]::new('--tap', '--tap', [CompletionResultType]::ParameterName, 'Same as --mode tap')
            [CompletionResult]::new('--pi', '--pi', [CompletionResultType]::ParameterName, 'Keep the 4-byte packet information header (default: IFF_NO_PI)')
            [CompletionResult]::new('--vnet-hdr', '--vnet-hdr', [CompletionResultType]::ParameterName, 'Enable the virtio-net header (IFF_VNET_HDR)')
            [CompletionResult]::new('--multi-queue', '--multi-queue', [CompletionResultType]::ParameterName, 'Create a multi-queue device (IFF_MULTI_QUEUE)')
            [CompletionResult]::new('--up', '--up', [CompletionResultType]::ParameterName, 'Bring the link up after configuring it')
            [CompletionResult]::new('--exist-ok', '--exist-ok', [CompletionResultType]::ParameterName, 'If NAME exists as a tun/tap of the same mode, bring it to the requested state instead of failing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would be done, changing nothing')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Print only the interface name')
            [CompletionResult]::new('--brief', '--brief', [CompletionResultType]::ParameterName, 'Print only the interface name')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tuntapctl;create' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'tun (layer 3, IP packets) or tap (layer 2, Ethernet frames) [default: tun if NAME starts with "tun", else tap]')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'tun (layer 3, IP packets) or tap (layer 2, Ethernet frames) [default: tun if NAME starts with "tun", else tap]')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Owner: the user (name or uid) allowed to attach')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Owner: the user (name or uid) allowed to attach')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Group (name or gid) whose members may attach')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Group (name or gid) whose members may attach')
            [CompletionResult]::new('--mac', '--mac', [CompletionResultType]::ParameterName, 'MAC address (tap only), or "random" for a locally administered one')
            [CompletionResult]::new('--mtu', '--mtu', [CompletionResultType]::ParameterName, 'MTU in bytes')
            [CompletionResult]::new('--txqueuelen', '--txqueuelen', [CompletionResultType]::ParameterName, 'Transmit queue length in packets')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Add an address, ADDR/PREFIX (IPv4 or IPv6); a bare ADDR is a host address. Repeatable')
            [CompletionResult]::new('--address', '--address', [CompletionResultType]::ParameterName, 'Add an address, ADDR/PREFIX (IPv4 or IPv6); a bare ADDR is a host address. Repeatable')
            [CompletionResult]::new('--peer', '--peer', [CompletionResultType]::ParameterName, 'Make the first address point-to-point with this peer')
            [CompletionResult]::new('--master', '--master', [CompletionResultType]::ParameterName, 'Make it a port of this bridge (or bond, vrf), which must exist')
            [CompletionResult]::new('--alias', '--alias', [CompletionResultType]::ParameterName, 'A label for the interface (IFLA_IFALIAS), e.g. "vm1 eth0"')
            [CompletionResult]::new('--addrgenmode', '--addrgenmode', [CompletionResultType]::ParameterName, 'How the kernel makes the IPv6 link-local address; none = no link-local address (usual for bridge ports). Set before the link can get a carrier')
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--netns', '--netns', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)')
            [CompletionResult]::new('--tun', '--tun', [CompletionResultType]::ParameterName, 'Same as --mode tun')
            [CompletionResult]::new('--tap', '--tap', [CompletionResultType]::ParameterName, 'Same as --mode tap')
            [CompletionResult]::new('--pi', '--pi', [CompletionResultType]::ParameterName, 'Keep the 4-byte packet information header (default: IFF_NO_PI)')
            [CompletionResult]::new('--vnet-hdr', '--vnet-hdr', [CompletionResultType]::ParameterName, 'Enable the virtio-net header (IFF_VNET_HDR)')
            [CompletionResult]::new('--multi-queue', '--multi-queue', [CompletionResultType]::ParameterName, 'Create a multi-queue device (IFF_MULTI_QUEUE)')
            [CompletionResult]::new('--up', '--up', [CompletionResultType]::ParameterName, 'Bring the link up after configuring it')
            [CompletionResult]::new('--exist-ok', '--exist-ok', [CompletionResultType]::ParameterName, 'If NAME exists as a tun/tap of the same mode, bring it to the requested state instead of failing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would be done, changing nothing')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Print only the interface name')
            [CompletionResult]::new('--brief', '--brief', [CompletionResultType]::ParameterName, 'Print only the interface name')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tuntapctl;del' {
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--netns', '--netns', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)')
            [CompletionResult]::new('--missing-ok', '--missing-ok', [CompletionResultType]::ParameterName, 'Succeed when an interface does not exist')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Delete even while processes are attached (they get EBADFD)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would be deleted, deleting nothing')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tuntapctl;delete' {
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--netns', '--netns', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)')
            [CompletionResult]::new('--missing-ok', '--missing-ok', [CompletionResultType]::ParameterName, 'Succeed when an interface does not exist')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Delete even while processes are attached (they get EBADFD)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would be deleted, deleting nothing')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tuntapctl;rm' {
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--netns', '--netns', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)')
            [CompletionResult]::new('--missing-ok', '--missing-ok', [CompletionResultType]::ParameterName, 'Succeed when an interface does not exist')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Delete even while processes are attached (they get EBADFD)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and print what would be deleted, deleting nothing')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tuntapctl;set' {
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'New owner (name or uid); an owner can be changed but never cleared')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'New owner (name or uid); an owner can be changed but never cleared')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'New group (name or gid); a group can be changed but never cleared')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'New group (name or gid); a group can be changed but never cleared')
            [CompletionResult]::new('--mac', '--mac', [CompletionResultType]::ParameterName, 'MAC address (tap only), or "random"')
            [CompletionResult]::new('--mtu', '--mtu', [CompletionResultType]::ParameterName, 'MTU in bytes')
            [CompletionResult]::new('--txqueuelen', '--txqueuelen', [CompletionResultType]::ParameterName, 'Transmit queue length in packets')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Add an address, ADDR/PREFIX. Repeatable')
            [CompletionResult]::new('--address', '--address', [CompletionResultType]::ParameterName, 'Add an address, ADDR/PREFIX. Repeatable')
            [CompletionResult]::new('--del-address', '--del-address', [CompletionResultType]::ParameterName, 'Remove an address: ADDR whatever its prefix, or exactly ADDR/PREFIX. Repeatable')
            [CompletionResult]::new('--carrier', '--carrier', [CompletionResultType]::ParameterName, 'Carrier on or off (on needs a process attached)')
            [CompletionResult]::new('--master', '--master', [CompletionResultType]::ParameterName, 'Make it a port of this bridge (or bond, vrf), which must exist')
            [CompletionResult]::new('--alias', '--alias', [CompletionResultType]::ParameterName, 'A label for the interface (IFLA_IFALIAS); "" removes it')
            [CompletionResult]::new('--addrgenmode', '--addrgenmode', [CompletionResultType]::ParameterName, 'How the kernel makes the IPv6 link-local address; none also removes the link-local address it already made')
            [CompletionResult]::new('--rename', '--rename', [CompletionResultType]::ParameterName, 'Give the interface a new name (same rules as add); works while it is up and attached')
            [CompletionResult]::new('--move-to', '--move-to', [CompletionResultType]::ParameterName, 'Move it to another network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID. Owner, group, persistence, MAC, MTU and alias go with it; the kernel drops its addresses and master and brings it down')
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--netns', '--netns', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)')
            [CompletionResult]::new('--up', '--up', [CompletionResultType]::ParameterName, 'Bring the link up')
            [CompletionResult]::new('--down', '--down', [CompletionResultType]::ParameterName, 'Bring the link down')
            [CompletionResult]::new('--flush-addresses', '--flush-addresses', [CompletionResultType]::ParameterName, 'Remove every address except the kernel''s own IPv6 link-local ones')
            [CompletionResult]::new('--nomaster', '--nomaster', [CompletionResultType]::ParameterName, 'Free it from its bridge (or bond, vrf)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tuntapctl;list' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Only interfaces of this mode')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'Only interfaces of this mode')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Only interfaces owned by USER (name or uid)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only interfaces owned by USER (name or uid)')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Only interfaces of GROUP (name or gid)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Only interfaces of GROUP (name or gid)')
            [CompletionResult]::new('--master', '--master', [CompletionResultType]::ParameterName, 'Only the ports of this bridge (or bond, vrf)')
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--netns', '--netns', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)')
            [CompletionResult]::new('--up', '--up', [CompletionResultType]::ParameterName, 'Only interfaces that are up')
            [CompletionResult]::new('--down', '--down', [CompletionResultType]::ParameterName, 'Only interfaces that are down')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Add the traffic counters: rx/tx packets, bytes, errors, dropped')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tuntapctl;ls' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Only interfaces of this mode')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'Only interfaces of this mode')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Only interfaces owned by USER (name or uid)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only interfaces owned by USER (name or uid)')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Only interfaces of GROUP (name or gid)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Only interfaces of GROUP (name or gid)')
            [CompletionResult]::new('--master', '--master', [CompletionResultType]::ParameterName, 'Only the ports of this bridge (or bond, vrf)')
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--netns', '--netns', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)')
            [CompletionResult]::new('--up', '--up', [CompletionResultType]::ParameterName, 'Only interfaces that are up')
            [CompletionResult]::new('--down', '--down', [CompletionResultType]::ParameterName, 'Only interfaces that are down')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'Add the traffic counters: rx/tx packets, bytes, errors, dropped')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tuntapctl;show' {
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--netns', '--netns', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tuntapctl;apply' {
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--netns', '--netns', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and change nothing')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Also delete tun/tap interfaces that the file does not list')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tuntapctl;batch' {
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--netns', '--netns', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Go on after a line that fails when it runs; exit non-zero at the end with a summary. Every line is parsed first: one that does not parse (or names an unknown user or group) stops the batch before any line runs, even with --force')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Parse and check every line (syntax, names, users, groups) and list the commands that would run; change nothing. Lines are not checked against the interfaces there are: a line may need the lines before it')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tuntapctl;completions' {
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--netns', '--netns', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tuntapctl;tunctl' {
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--netns', '--netns', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tuntapctl;cni' {
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--netns', '--netns', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tuntapctl;doctor' {
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'The user (name or uid) the attaching process runs as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user (name or uid) the attaching process runs as')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'A group (name or gid) the process has; repeatable. Default: the user''s groups from the group database')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'A group (name or gid) the process has; repeatable. Default: the user''s groups from the group database')
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--netns', '--netns', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)')
            [CompletionResult]::new('--tun', '--tun', [CompletionResultType]::ParameterName, 'The attacher asks for a tun (IFF_TUN) [default: the device''s mode]')
            [CompletionResult]::new('--tap', '--tap', [CompletionResultType]::ParameterName, 'The attacher asks for a tap (IFF_TAP)')
            [CompletionResult]::new('--pi', '--pi', [CompletionResultType]::ParameterName, 'The attacher keeps the packet information header (no IFF_NO_PI)')
            [CompletionResult]::new('--vnet-hdr', '--vnet-hdr', [CompletionResultType]::ParameterName, 'The attacher asks for the virtio-net header (IFF_VNET_HDR)')
            [CompletionResult]::new('--multi-queue', '--multi-queue', [CompletionResultType]::ParameterName, 'The attacher asks for a queue of a multi-queue device (IFF_MULTI_QUEUE)')
            [CompletionResult]::new('--try', '--try', [CompletionResultType]::ParameterName, 'Really attach as the user in a child process, then detach (the carrier flickers on and off)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tuntapctl;monitor' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Exit after N events')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Exit after N events')
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--netns', '--netns', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tuntapctl;serve' {
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'The policy file')
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--netns', '--netns', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Check the policy file (ownership, syntax, users, groups) and exit')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tuntapctl;bridge-helper' {
            [CompletionResult]::new('--br', '--br', [CompletionResultType]::ParameterName, 'The bridge to put the tap on')
            [CompletionResult]::new('--fd', '--fd', [CompletionResultType]::ParameterName, 'The socket qemu passed, to send the tap''s fd over')
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--netns', '--netns', [CompletionResultType]::ParameterName, 'Act inside a network namespace: a name under /run/netns, a path (/proc/PID/ns/net), or a PID')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The tuntapctl service''s socket: where add, set and del go without CAP_NET_ADMIN, and where serve listens (default $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)')
            [CompletionResult]::new('--use-vnet', '--use-vnet', [CompletionResultType]::ParameterName, 'Ask for a tap with a virtio-net header (IFF_VNET_HDR)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success (errors still go to stderr)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tuntapctl;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Create a persistent tun or tap interface')
            [CompletionResult]::new('del', 'del', [CompletionResultType]::ParameterValue, 'Delete tun/tap interfaces')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change an existing tun/tap interface')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List tun/tap interfaces')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show tun/tap interfaces in full')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Make the system match a declared set of interfaces (JSON or TOML)')
            [CompletionResult]::new('batch', 'batch', [CompletionResultType]::ParameterValue, 'Run many commands, one per line, in one process')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('tunctl', 'tunctl', [CompletionResultType]::ParameterValue, 'Act like tunctl (uml-utilities): -b -u -g -t -f -d, plus -n and -p')
            [CompletionResult]::new('cni', 'cni', [CompletionResultType]::ParameterValue, 'Run as a CNI plugin: a tap in a container''s network namespace')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Explain whether a user could attach to an interface, and why not')
            [CompletionResult]::new('monitor', 'monitor', [CompletionResultType]::ParameterValue, 'Follow tun/tap events (created, up, attached, deleted, ...)')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Let users make their own taps: the root service that runs add, set and del for them as a policy file allows')
            [CompletionResult]::new('bridge-helper', 'bridge-helper', [CompletionResultType]::ParameterValue, 'qemu''s bridge helper: a tap from the service, passed to qemu')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tuntapctl;help;add' {
            break
        }
        'tuntapctl;help;del' {
            break
        }
        'tuntapctl;help;set' {
            break
        }
        'tuntapctl;help;list' {
            break
        }
        'tuntapctl;help;show' {
            break
        }
        'tuntapctl;help;apply' {
            break
        }
        'tuntapctl;help;batch' {
            break
        }
        'tuntapctl;help;completions' {
            break
        }
        'tuntapctl;help;tunctl' {
            break
        }
        'tuntapctl;help;cni' {
            break
        }
        'tuntapctl;help;doctor' {
            break
        }
        'tuntapctl;help;monitor' {
            break
        }
        'tuntapctl;help;serve' {
            break
        }
        'tuntapctl;help;bridge-helper' {
            break
        }
        'tuntapctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
