//! The `cairn` executable tested from outside: started on port 0 against a fresh
//! database, driven over HTTP and the command line. One test binary; each module
//! is one area.

mod support;

mod accounts;
mod admin;
mod api;
mod assets;
mod backup;
mod cli;
mod closing;
mod cluster;
mod comments;
mod config;
mod cycle;
mod demo;
mod exchange;
mod faults;
mod front;
mod hostile;
mod identity;
mod live;
mod mail;
mod mine;
mod notices;
mod numbers;
mod ops;
mod pages;
mod permissions;
mod search;
mod sheet;
mod sheet_page;
mod status;
mod webhooks;
