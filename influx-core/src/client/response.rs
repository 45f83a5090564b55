//! The JSON shape of a `/query` answer.

use serde::Deserialize;

/// The whole answer to one `/query` request.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct QueryResponse {
    /// One result per statement.
    #[serde(default)]
    pub results: Vec<StatementResult>,
    /// A request-level error.
    #[serde(default)]
    pub error: Option<String>,
}

/// The result of one statement.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct StatementResult {
    /// The statement's position in the query.
    #[serde(default)]
    pub statement_id: usize,
    /// The series the statement returned.
    #[serde(default)]
    pub series: Vec<Series>,
    /// The statement's error, if it failed.
    #[serde(default)]
    pub error: Option<String>,
    /// True if the result was truncated or continues in a later chunk.
    #[serde(default)]
    pub partial: bool,
}

/// One series: a measurement name, its tag set, and rows of values.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Series {
    /// The measurement name.
    #[serde(default)]
    pub name: String,
    /// The tag set of a `GROUP BY` query.
    #[serde(default)]
    pub tags: std::collections::BTreeMap<String, String>,
    /// The column names.
    pub columns: Vec<String>,
    /// The rows, one value per column.
    #[serde(default)]
    pub values: Vec<Vec<serde_json::Value>>,
    /// True if more rows of this series follow in a later chunk.
    #[serde(default)]
    pub partial: bool,
}
