//! tuntapctl: administer persistent tun/tap interfaces.
//!
//! The flow is argv → `cli` (a validated `request::Command`) → `dispatch`
//! (one match) → `commands` (plain functions over requests) → `report` →
//! `render`, at the edge `app`. Kernel edges are small modules with safe
//! APIs: `tun` (/dev/net/tun ioctls), `netlink` (every netlink socket),
//! `procscan` (/proc: who holds a device), `netns` (namespace files),
//! `asuser` (acting as another user). Public only what the binary, the
//! tests, the benches and the fuzz targets use.

pub mod app;
mod asuser;
pub mod batch;
pub mod cli;
pub mod cni;
pub mod commands;
mod complete;
pub mod delegate;
mod dispatch;
pub mod docs;
mod doctor;
pub mod error;
mod fault;
mod fdtables;
mod glob;
mod ids;
mod input;
mod kernel_features;
mod model;
mod monitor;
pub mod netlink;
pub mod netns;
mod procscan;
mod render;
mod report;
pub mod request;
mod synopsis;
mod text;
mod tun;
pub mod validate;
