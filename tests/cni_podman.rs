//! A real runtime drives the CNI plugin: Debian's podman (4.3) with its CNI
//! backend runs a container on a network whose conflist has
//! `"type": "tuntapctl"` and Debian's host-local IPAM. podman finds the
//! plugin through `cni_plugin_dirs` (a symlink to the binary under test, as
//! /usr/lib/cni/tuntapctl is in the .deb), runs ADD when the container
//! starts and DEL when it is removed. The image is a busybox rootfs made
//! here and brought in with `podman import` (no registry).
//!
//! Isolation: podman runs in a network namespace the test makes and in a
//! private mount namespace; its storage (vfs), run root, network configs
//! and IPAM state live in a short directory under /tmp (podman refuses a
//! run root path over 50 characters). In that mount namespace the
//! cgroup v2 mount of a hybrid hierarchy is unmounted, because crun refuses
//! hybrid mode; the container runs with `--cgroups disabled`.

mod common;

use std::path::Path;
use std::process::Command;

use common::{BIN, stderr, stdout};

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

#[test]
fn podman_with_the_cni_backend_runs_a_container_on_a_tuntapctl_network() {
    let host = netns_or_skip!();
    for tool in ["podman", "/bin/busybox", "/usr/lib/cni/host-local"] {
        let found = Path::new(tool).exists()
            || Command::new("sh")
                .args(["-c", &format!("command -v {tool}")])
                .output()
                .is_ok_and(|o| o.status.success());
        assert!(
            found,
            "{tool} is missing: scripts/test.sh installs podman, busybox-static and containernetworking-plugins"
        );
    }
    // podman refuses a run root longer than 50 characters, so the test's
    // directory is a short one under /tmp, wherever the checkout is.
    let dir = std::path::PathBuf::from(format!("/tmp/ttp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = |p: &str| dir.join(p);
    for sub in ["rootfs/bin", "plugins", "net.d", "root", "runroot", "ipam"] {
        std::fs::create_dir_all(d(sub)).unwrap();
    }
    std::fs::copy("/bin/busybox", d("rootfs/bin/busybox")).unwrap();
    for applet in ["sh", "ip", "cat"] {
        std::os::unix::fs::symlink("busybox", d("rootfs/bin").join(applet)).unwrap();
    }
    std::os::unix::fs::symlink(BIN, d("plugins/tuntapctl")).unwrap();
    std::os::unix::fs::symlink("/usr/lib/cni/host-local", d("plugins/host-local")).unwrap();
    write(
        &d("containers.conf"),
        &format!(
            "[network]\nnetwork_backend = \"cni\"\ncni_plugin_dirs = [\"{}\"]\nnetwork_config_dir = \"{}\"\n[engine]\ncgroup_manager = \"cgroupfs\"\nevents_logger = \"file\"\n",
            d("plugins").display(),
            d("net.d").display()
        ),
    );
    write(
        &d("net.d/taps.conflist"),
        &format!(
            r#"{{"cniVersion": "1.0.0", "name": "taps", "plugins": [{{
                "type": "tuntapctl", "mtu": 1400, "vnetHdr": true,
                "ipam": {{"type": "host-local", "dataDir": "{}",
                         "ranges": [[{{"subnet": "10.88.7.0/24"}}]],
                         "routes": [{{"dst": "0.0.0.0/0"}}]}}}}]}}"#,
            d("ipam").display()
        ),
    );
    // What the test's shell runs: import the image, run the container.
    let script = r#"
set -e
umount /sys/fs/cgroup/unified 2>/dev/null || true
P="podman --root $D/root --runroot $D/runroot --storage-driver vfs"
tar -C "$D/rootfs" -c . | $P import - tt-busybox >/dev/null
$P run --rm --cgroups disabled \
  --ulimit nofile=$(ulimit -Hn):$(ulimit -Hn) --ulimit nproc=1000:1000 \
  --network taps tt-busybox \
  sh -c 'cat /sys/class/net/eth0/tun_flags /sys/class/net/eth0/mtu; ip addr show eth0; ip route'
"#;
    let out = host.run_env(
        "unshare",
        &["-m", "--propagation", "private", "bash", "-c", script],
        &[
            ("D", dir.to_str().unwrap()),
            ("CONTAINERS_CONF", d("containers.conf").to_str().unwrap()),
        ],
    );
    assert!(
        out.status.success(),
        "podman run failed\nstdout: {}\nstderr: {}",
        stdout(&out),
        stderr(&out)
    );
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    // IFF_TAP | IFF_PERSIST | IFF_NO_PI | IFF_VNET_HDR, read from sysfs inside
    // the container.
    assert_eq!(lines[0], "0x5802", "tun_flags\n{text}");
    assert_eq!(lines[1], "1400", "mtu\n{text}");
    assert!(text.contains("inet 10.88.7."), "{text}");
    assert!(text.contains("/24 scope global eth0"), "{text}");
    assert!(text.contains("default via 10.88.7.1 dev eth0"), "{text}");
    // `run --rm` ran DEL: host-local holds no address any more.
    let held: Vec<String> = std::fs::read_dir(d("ipam/taps"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("10."))
        .collect();
    assert!(held.is_empty(), "IPAM still holds {held:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
