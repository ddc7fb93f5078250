//! User and group lookup (uzers), with a cache so batch and list resolve each
//! id once.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::OsStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::validate::IdSpec;

/// An owner as shown in JSON: the uid, and its name when it resolves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    pub uid: u32,
    pub name: Option<String>,
}

/// A group as shown in JSON: the gid, and its name when it resolves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub gid: u32,
    pub name: Option<String>,
}

#[derive(Default)]
pub struct IdResolver {
    users: RefCell<HashMap<u32, Option<String>>>,
    groups: RefCell<HashMap<u32, Option<String>>>,
    uids_by_name: RefCell<HashMap<String, u32>>,
    gids_by_name: RefCell<HashMap<String, u32>>,
}

impl IdResolver {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn resolve_user(&self, spec: &IdSpec) -> Result<u32> {
        match spec {
            IdSpec::Id(id) => Ok(*id),
            IdSpec::Name(name) if self.uids_by_name.borrow().contains_key(name) => {
                Ok(self.uids_by_name.borrow()[name])
            }
            IdSpec::Name(name) => match uzers::get_user_by_name(OsStr::new(name)) {
                Some(user) => {
                    self.users
                        .borrow_mut()
                        .insert(user.uid(), Some(name.clone()));
                    self.uids_by_name
                        .borrow_mut()
                        .insert(name.clone(), user.uid());
                    Ok(user.uid())
                }
                None => Err(Error::usage(format!(
                    "user {name:?} does not exist (not in the passwd database); create it first or give a numeric uid"
                ))),
            },
        }
    }

    pub fn resolve_group(&self, spec: &IdSpec) -> Result<u32> {
        match spec {
            IdSpec::Id(id) => Ok(*id),
            IdSpec::Name(name) if self.gids_by_name.borrow().contains_key(name) => {
                Ok(self.gids_by_name.borrow()[name])
            }
            IdSpec::Name(name) => match uzers::get_group_by_name(OsStr::new(name)) {
                Some(group) => {
                    self.groups
                        .borrow_mut()
                        .insert(group.gid(), Some(name.clone()));
                    self.gids_by_name
                        .borrow_mut()
                        .insert(name.clone(), group.gid());
                    Ok(group.gid())
                }
                None => Err(Error::usage(format!(
                    "group {name:?} does not exist (not in the group database); create it first or give a numeric gid"
                ))),
            },
        }
    }

    pub fn user_name(&self, uid: u32) -> Option<String> {
        self.users
            .borrow_mut()
            .entry(uid)
            .or_insert_with(|| {
                uzers::get_user_by_uid(uid).map(|u| u.name().to_string_lossy().into_owned())
            })
            .clone()
    }

    pub fn group_name(&self, gid: u32) -> Option<String> {
        self.groups
            .borrow_mut()
            .entry(gid)
            .or_insert_with(|| {
                uzers::get_group_by_gid(gid).map(|g| g.name().to_string_lossy().into_owned())
            })
            .clone()
    }

    pub fn owner(&self, uid: u32) -> Owner {
        Owner {
            uid,
            name: self.user_name(uid),
        }
    }

    pub fn group(&self, gid: u32) -> Group {
        Group {
            gid,
            name: self.group_name(gid),
        }
    }
}

/// "waldner" when the id resolves, else the number.
pub fn display_name(id: u32, name: &Option<String>) -> String {
    match name {
        Some(name) => name.clone(),
        None => id.to_string(),
    }
}
