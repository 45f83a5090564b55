//! Management API.
