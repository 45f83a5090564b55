//! Compile-fail tests for the proc macros: one case per file under `tests/ui/<topic>/`,
//! each with its expected `.stderr` committed next to it.
//!
//! Regenerate after an intended message change with
//! `TRYBUILD=overwrite cargo test -p influx-ui-tests`, then review the diff of the `.stderr` files.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("*/*.rs");
}
