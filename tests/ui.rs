//! Compile-fail tests for the proc macros: one case per file under `tests/ui/<topic>/`,
//! each with its expected `.stderr` committed next to it.
//!
//! Regenerate after an intended message change with `TRYBUILD=overwrite cargo test --test ui`,
//! then review the diff of the `.stderr` files.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/*.rs");
}

/// The SQL template cases alone (also run by `ui`): `cargo test --test ui sql`.
#[test]
fn sql() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/sql/*.rs");
}
