//! The open data of a small site built in memory: what each file holds, and what it must
//! never hold.
