//! tuntapctl: administer persistent tun/tap interfaces.

pub mod app;
pub mod batch;
pub mod cli;
pub mod commands;
pub mod docs;
pub mod document;
pub mod error;
pub mod ids;
pub mod input;
pub mod lock;
pub mod model;
pub mod netlink;
pub mod netns;
pub mod procscan;
pub mod render;
pub mod text;
pub mod tun;
pub mod validate;
