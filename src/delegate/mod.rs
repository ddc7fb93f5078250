//! Delegation (SPEC §12): a root service on a Unix socket that lets users
//! make, change and delete their own taps as a policy file allows, the CLI
//! side that talks to it, and qemu's bridge helper.

pub mod modes;
pub mod policy;
