//! doctor's text report.

use nix::errno::Errno;

use super::facts::{Diagnosis, UserFacts};
use crate::error::ExitStatus;

/// What doctor found: the user as checked and the verdict, rendered as
/// text or JSON by the one render step.
#[derive(Clone, Debug)]
pub struct DoctorReport {
    pub name: String,
    pub user: UserFacts,
    pub diagnosis: Diagnosis,
}

/// The text report: one line per check, the fix under a failing one, then
/// the verdict.
pub fn render_text(name: &str, user: &UserFacts, d: &Diagnosis) -> Vec<String> {
    let mut lines = Vec::new();
    for c in &d.checks {
        let mark = if c.ok { "ok  " } else { "FAIL" };
        lines.push(format!("{mark} {:<13} {}", c.check, c.detail));
        if let Some(fix) = &c.fix {
            lines.push(format!("     {:<13} fix: {fix}", ""));
        }
    }
    let who = user.label();
    lines.push(match d.errno {
        None => format!("verdict: {who} can attach to {name}"),
        Some(Errno::ENODEV) if d.status == ExitStatus::NotFound => format!(
            "verdict: {name} does not exist here; an attach by {who} would create a new device instead (exit {})",
            d.status.code()
        ),
        Some(e) if d.status == ExitStatus::NotFound => format!(
            "verdict: {name} does not exist here; an attach by {who} fails with {} ({e:?}) (exit {})",
            e.desc(),
            d.status.code()
        ),
        Some(e) => format!(
            "verdict: an attach to {name} by {who} fails with {} ({e:?}) (exit {})",
            e.desc(),
            d.status.code()
        ),
    });
    lines
}
