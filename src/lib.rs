//! tuntapctl: administer persistent tun/tap interfaces.

pub mod app;
pub mod around;
pub mod batch;
pub mod cli;
pub mod commands;
pub mod docs;
pub mod doctor;
pub mod error;
pub mod events;
pub mod glob;
pub mod ids;
pub mod input;
pub mod model;
pub mod monitor;
pub mod netlink;
pub mod netns;
pub mod probe;
pub mod procscan;
pub mod render;
pub mod report;
pub mod request;
pub mod synopsis;
pub mod text;
pub mod tun;
pub mod tunctl;
pub mod validate;
