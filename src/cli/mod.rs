//! The parts of the `vetrina` command that are not the library: its arguments, the process
//! set-up, what it prints, and opening a browser. The binary's alone: the library never
//! imports from here.

pub(crate) mod args;
pub(crate) mod browser;
pub(crate) mod print;
pub(crate) mod process;
