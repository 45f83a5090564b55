//! Run-time support for SQL patterns (`query_pattern!` with `= sql "..."`).
//!
//! A SQL pattern's placeholders are typed by where they stand: values become
//! `$name` parameters sent in the request's `params` (the server substitutes
//! them, so a value never becomes SQL), names are double-quoted identifiers
//! (`Ident`), arguments of `last_cache()`/`distinct_cache()` (where a parameter
//! cannot go) single-quoted literals, and `LIMIT`/`OFFSET` counts digits.
//! A trait with SQL patterns runs on a [`Client`] and renders with [`Render`];
//! the 1.x clients do not implement [`SqlExecutor`], so calling one there does
//! not compile.

use chrono::{DateTime, SecondsFormat, Utc};

use super::query::{quote_ident, quote_literal};
use super::{Client, Query as V3Query};
use crate::influxql::{Ident, QueryInteger};
use crate::pattern::{BoxFuture, QueryExecutor, QueryOutput, Render};
use crate::schema::Column;
use crate::{Error, ErrorKind, Query, QueryMethod, Result};

/// Something SQL pattern methods run on: the 3.x [`Client`], or [`Render`]
/// (which returns the rendered query: SQL text and its `params`).
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::Render;
/// use influx::v3::SqlExecutor;
/// let q = Render.execute_sql::<()>(Ok(influx::Query::new("SELECT 1"))).unwrap();
/// assert_eq!(q.text(), "SELECT 1");
/// ```
pub trait SqlExecutor: QueryExecutor {
    /// Runs (or, for [`Render`], returns) a rendered SQL pattern.
    fn execute_sql<'a, T: QueryOutput + 'a>(&'a self, query: Result<Query>) -> Self::Output<'a, T>;
}

impl SqlExecutor for Client {
    fn execute_sql<'a, T: QueryOutput + 'a>(&'a self, query: Result<Query>) -> Self::Output<'a, T> {
        Box::pin(async move { T::fetch_v3(self, V3Query::from_sql_pattern(query?)).await }) as BoxFuture<'a, _>
    }
}

impl SqlExecutor for Render {
    fn execute_sql<'a, T: QueryOutput + 'a>(&'a self, query: Result<Query>) -> Self::Output<'a, T> {
        query
    }
}

/// A value a SQL pattern sends as a `$name` parameter.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq)]
pub struct SqlParam(serde_json::Value);

/// The parameters a SQL pattern binds, by name.
#[doc(hidden)]
pub type SqlParams = Vec<(&'static str, SqlParam)>;

/// A value of a SQL pattern, sent as a `$name` parameter: strings, integers,
/// finite floats, booleans and `chrono::DateTime<Utc>` (as RFC3339 with nanoseconds).
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::v3::SqlValue;
/// assert!(1.5_f64.sql_value().is_ok());
/// assert_eq!(f64::NAN.sql_value().unwrap_err().kind(), influx::ErrorKind::Argument);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a value in a SQL query",
    label = "this parameter fills a value position (it is sent as a `$` parameter)",
    note = "values are strings, integers, finite floats, booleans and `chrono::DateTime<Utc>`; names go in identifier positions as `influx::Ident`"
)]
pub trait SqlValue {
    /// The value as a query parameter.
    fn sql_value(&self) -> Result<SqlParam>;
}

impl<T: SqlValue + ?Sized> SqlValue for &T {
    fn sql_value(&self) -> Result<SqlParam> {
        (**self).sql_value()
    }
}

impl SqlValue for str {
    fn sql_value(&self) -> Result<SqlParam> {
        Ok(SqlParam(serde_json::Value::String(self.to_owned())))
    }
}

impl SqlValue for String {
    fn sql_value(&self) -> Result<SqlParam> {
        self.as_str().sql_value()
    }
}

impl SqlValue for bool {
    fn sql_value(&self) -> Result<SqlParam> {
        Ok(SqlParam(serde_json::Value::Bool(*self)))
    }
}

macro_rules! sql_integers {
    ($($t:ty)*) => {$(
        impl SqlValue for $t {
            fn sql_value(&self) -> Result<SqlParam> {
                Ok(SqlParam(serde_json::Value::from(*self)))
            }
        }
    )*};
}
sql_integers!(i8 i16 i32 i64 isize u8 u16 u32 u64 usize);

macro_rules! sql_floats {
    ($($t:ty)*) => {$(
        impl SqlValue for $t {
            fn sql_value(&self) -> Result<SqlParam> {
                serde_json::Number::from_f64(f64::from(*self))
                    .map(|n| SqlParam(serde_json::Value::Number(n)))
                    .ok_or_else(|| Error::new(ErrorKind::Argument, format!("{self} cannot be a SQL parameter (not finite)")))
            }
        }
    )*};
}
sql_floats!(f32 f64);

impl SqlValue for DateTime<Utc> {
    fn sql_value(&self) -> Result<SqlParam> {
        Ok(SqlParam(serde_json::Value::String(self.to_rfc3339_opts(SecondsFormat::Nanos, true))))
    }
}

/// A name in a SQL pattern (table, column, alias), double-quoted with `"`
/// doubled: implemented by [`Ident`], not by strings.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::{influxql::Ident, v3::SqlIdent};
/// let mut q = String::new();
/// Ident::new(r#"my "table""#).write_sql_ident(&mut q);
/// assert_eq!(q, r#""my ""table""""#);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot stand where SQL expects a name",
    label = "this parameter fills an identifier position",
    note = "wrap names in `influx::Ident` (`Ident::new(name)`): it is always double-quoted, `\"` doubled"
)]
pub trait SqlIdent {
    /// Appends the name double-quoted.
    fn write_sql_ident(&self, out: &mut String);
}

impl SqlIdent for Ident<'_> {
    fn write_sql_ident(&self, out: &mut String) {
        out.push_str(&quote_ident(self.as_str()));
    }
}

impl<T: SqlIdent + ?Sized> SqlIdent for &T {
    fn write_sql_ident(&self, out: &mut String) {
        (**self).write_sql_ident(out);
    }
}

/// A string literal in a SQL pattern where a parameter cannot go (the table
/// and cache names of `last_cache()` / `distinct_cache()`): single-quoted, `'` doubled.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::v3::SqlString;
/// let mut q = String::new();
/// "it's".write_sql_string(&mut q);
/// assert_eq!(q, "'it''s'");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a string literal in a SQL query",
    label = "this parameter fills a string-literal position (an argument of `last_cache()` or `distinct_cache()`)",
    note = "use `&str` or `String`"
)]
pub trait SqlString {
    /// Appends the value single-quoted.
    fn write_sql_string(&self, out: &mut String);
}

impl SqlString for str {
    fn write_sql_string(&self, out: &mut String) {
        out.push_str(&quote_literal(self));
    }
}

impl SqlString for String {
    fn write_sql_string(&self, out: &mut String) {
        self.as_str().write_sql_string(out);
    }
}

impl<T: SqlString + ?Sized> SqlString for &T {
    fn write_sql_string(&self, out: &mut String) {
        (**self).write_sql_string(out);
    }
}

/// A count in a SQL pattern (`LIMIT`, `OFFSET`): an integer, written as digits.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::v3::SqlInteger;
/// let mut q = String::new();
/// 10_u32.write_sql_integer(&mut q).unwrap();
/// assert_eq!(q, "10");
/// assert!((-1_i32).write_sql_integer(&mut q).is_err());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a count in a SQL query",
    label = "this parameter fills an integer position (LIMIT, OFFSET)",
    note = "use an integer type such as `u32` or `u64`"
)]
pub trait SqlInteger {
    /// Appends the integer; negative values are errors.
    fn write_sql_integer(&self, out: &mut String) -> Result<()>;
}

impl<T: QueryInteger + ?Sized> SqlInteger for T {
    fn write_sql_integer(&self, out: &mut String) -> Result<()> {
        self.write_integer(out)
    }
}

/// The rendered SQL pattern: its text, its parameters bound by name.
#[doc(hidden)]
pub fn sql_query(text: String, params: SqlParams) -> Result<Query> {
    let mut q = Query::new(text).with_method(QueryMethod::Post);
    for (name, SqlParam(value)) in params {
        q = q.bind(name, value);
    }
    q.params_json().map(|_| q)
}

/// Appends the columns of a row type for `SELECT {*}` in SQL: every tag,
/// field and the time, double-quoted (SQL returns only what is selected).
#[doc(hidden)]
pub fn write_sql_columns(out: &mut String, columns: &[Column]) {
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&quote_ident(c.name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_become_json_params() {
        let q = sql_query(
            "SELECT * FROM t WHERE a = $a AND b > $b".into(),
            vec![("a", "x'y".sql_value().unwrap()), ("b", 2_u64.sql_value().unwrap())],
        )
        .unwrap();
        assert_eq!(q.params_json().unwrap(), r#"{"a":"x'y","b":2}"#);
        let t = DateTime::from_timestamp_nanos(1);
        assert_eq!(t.sql_value().unwrap(), SqlParam(serde_json::json!("1970-01-01T00:00:00.000000001Z")));
        assert_eq!(u64::MAX.sql_value().unwrap(), SqlParam(serde_json::json!(u64::MAX)));
        assert!(f32::INFINITY.sql_value().is_err());
    }

    #[test]
    fn columns_include_time() {
        let mut out = String::new();
        write_sql_columns(&mut out, &[Column::tag("room", false), Column::time(false)]);
        assert_eq!(out, r#""room", "time""#);
    }
}
