//! Schema drift: a derived type's schema against the server's `SHOW FIELD KEYS` / `SHOW TAG KEYS`.

use std::fmt;

use super::Client;
use crate::influxql::quote_ident;
use crate::schema::{ColumnKind, InfluxPoint};
use crate::Result;

/// One difference between a Rust type's schema and what the server holds.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::client::{SchemaConflict, ConflictKind};
/// let c = SchemaConflict { measurement: "cpu".into(), key: "usage".into(), kind: ConflictKind::FieldType { expected: "float", server: "integer".into() } };
/// assert_eq!(c.to_string(), "cpu: field `usage` is float in the type but integer on the server");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaConflict {
    /// The measurement.
    pub measurement: String,
    /// The tag or field key.
    pub key: String,
    /// What differs.
    pub kind: ConflictKind,
}

/// What differs between the type and the server.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConflictKind {
    /// The field exists with another type: writes of it would fail with a type conflict.
    FieldType {
        /// The type's field type (`SHOW FIELD KEYS` name).
        expected: &'static str,
        /// The server's type for the key.
        server: String,
    },
    /// The type writes a tag that the server holds as a field.
    TagIsField {
        /// The server's field type.
        server: String,
    },
    /// The type writes a field that the server holds as a tag: queries would see two columns.
    FieldIsTag,
}

impl fmt::Display for SchemaConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (m, k) = (&self.measurement, &self.key);
        match &self.kind {
            ConflictKind::FieldType { expected, server } => {
                write!(f, "{m}: field `{k}` is {expected} in the type but {server} on the server")
            }
            ConflictKind::TagIsField { server } => {
                write!(f, "{m}: `{k}` is a tag in the type but a {server} field on the server")
            }
            ConflictKind::FieldIsTag => write!(f, "{m}: `{k}` is a field in the type but a tag on the server"),
        }
    }
}

impl Client {
    /// Compares `T`'s derived schema with the server's field and tag keys of
    /// its measurement and returns every conflict (empty: no drift), before
    /// writes start failing. Keys the server does not know yet are fine.
    ///
    /// ```no_run
    /// # extern crate influx_core as influx;
    /// # async fn f<Cpu: influx::schema::InfluxPoint>(client: influx::Client) -> influx::Result<()> {
    /// for conflict in client.verify::<Cpu>().await? {
    ///     eprintln!("schema drift: {conflict}");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn verify<T: InfluxPoint>(&self) -> Result<Vec<SchemaConflict>> {
        let m = quote_ident(T::MEASUREMENT);
        let res = self.query_multi(format!("SHOW FIELD KEYS FROM {m}; SHOW TAG KEYS FROM {m}")).await?;
        let fields: Vec<(String, String)> = res.rows(0)?;
        let tags: Vec<(String,)> = res.rows(1)?;
        Ok(conflicts::<T>(&fields, &tags))
    }
}

pub(crate) fn conflicts<T: InfluxPoint>(fields: &[(String, String)], tags: &[(String,)]) -> Vec<SchemaConflict> {
    let mut out = Vec::new();
    let conflict =
        |key: &str, kind| SchemaConflict { measurement: T::MEASUREMENT.to_owned(), key: key.to_owned(), kind };
    for col in T::COLUMNS {
        match col.kind {
            ColumnKind::Field => {
                let Some(ft) = col.field_type else { continue };
                // A key can have several types on the server (one per shard): report each mismatch.
                for (_, server) in fields.iter().filter(|(k, _)| k == col.name) {
                    if !ft.matches_server(server) {
                        out.push(conflict(
                            col.name,
                            ConflictKind::FieldType { expected: ft.as_str(), server: server.clone() },
                        ));
                    }
                }
                if tags.iter().any(|(k,)| k == col.name) {
                    out.push(conflict(col.name, ConflictKind::FieldIsTag));
                }
            }
            ColumnKind::Tag => {
                for (_, server) in fields.iter().filter(|(k, _)| k == col.name) {
                    out.push(conflict(col.name, ConflictKind::TagIsField { server: server.clone() }));
                }
            }
            ColumnKind::Time => {}
        }
    }
    out
}
