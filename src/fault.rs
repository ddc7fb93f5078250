//! Fault hooks for tests: debug builds read these environment variables to
//! pause, crash or fail at a named step, so a test can prove what a race,
//! a kill or a kernel refusal leaves behind. Release builds compile every
//! hook to nothing and never read the environment. All hooks live here.

/// `TUNTAPCTL_TEST_PAUSE_AT=STEP`: stop at `step` until a line (or EOF)
/// arrives on stdin, so a test can delete the device in between.
#[cfg(debug_assertions)]
pub fn pause_at(step: &str) {
    if std::env::var("TUNTAPCTL_TEST_PAUSE_AT").as_deref() == Ok(step) {
        eprintln!("paused at {step}");
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
    }
}
#[cfg(not(debug_assertions))]
pub fn pause_at(_step: &str) {}

/// `TUNTAPCTL_TEST_ABORT_AFTER=STEP`: abort after `step`, to prove what a
/// crash leaves behind.
#[cfg(debug_assertions)]
pub fn abort_after(step: &str) {
    if std::env::var("TUNTAPCTL_TEST_ABORT_AFTER").as_deref() == Ok(step) {
        std::process::abort();
    }
}
#[cfg(not(debug_assertions))]
pub fn abort_after(_step: &str) {}

/// `TUNTAPCTL_TEST_FAIL_GROUP_DELETE=1`: the bulk group delete fails (EIO),
/// to prove the restore path.
#[cfg(debug_assertions)]
pub fn group_delete_failure() -> Option<nix::errno::Errno> {
    (std::env::var("TUNTAPCTL_TEST_FAIL_GROUP_DELETE").as_deref() == Ok("1"))
        .then_some(nix::errno::Errno::EIO)
}
#[cfg(not(debug_assertions))]
pub fn group_delete_failure() -> Option<nix::errno::Errno> {
    None
}
