//! Completion candidates (the hidden `__complete-*` commands): existing
//! tun/tap names, devices that can be a master, namespaces under
//! /run/netns. Completion stays quiet: a failure is an empty list. What is
//! offered is filtered to plain words where it is rendered
//! (`text::is_plain_word`), so no name reaches a shell as code.

/// The tun/tap interfaces of this namespace.
pub fn interface_names() -> Vec<String> {
    crate::netlink::dump_links(true, false)
        .map(|links| {
            links
                .into_iter()
                .filter(|l| l.is_tun())
                .map(|l| l.name)
                .collect()
        })
        .unwrap_or_default()
}

/// The names of the links that can take ports, sorted.
pub fn master_names() -> Vec<String> {
    let mut names: Vec<String> = crate::netlink::dump_links(false, false)
        .unwrap_or_default()
        .into_iter()
        .filter(|l| l.can_take_ports())
        .map(|l| l.name)
        .collect();
    names.sort();
    names
}

/// The network namespaces under /run/netns, sorted.
pub fn netns_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir("/run/netns")
        .map(|dir| {
            dir.filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}
