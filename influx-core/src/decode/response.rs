//! The JSON shape of a `/query` answer ("raw" mode), and iteration over its points.

use serde::{Deserialize, Serialize};

use super::Message;

/// The whole answer to one `/query` request.
///
/// Read it with [`QueryResponse::from_json`] (as [`Client::query`](crate::Client::query)
/// does) for exact numbers: through `serde_json::from_slice` its floats are exact only when
/// serde_json's `float_roundtrip` feature is on.
///
/// ```
/// let r = influx_core::decode::QueryResponse::from_json(
///     br#"{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","v"],"values":[[1,2]]}]}]}"#,
/// ).unwrap();
/// let p = r.iter_points().next().unwrap();
/// assert_eq!((p.series.name.as_str(), p.get("v")), ("m", Some(&serde_json::json!(2))));
/// ```
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct QueryResponse {
    /// One result per statement.
    #[serde(default)]
    pub results: Vec<StatementResult>,
    /// A request-level error.
    #[serde(default)]
    pub error: Option<String>,
}

/// The result of one statement.
///
/// ```
/// let s = influx_core::decode::StatementResult::default();
/// assert!(s.series.is_empty() && s.error.is_none());
/// ```
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
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
    /// Server messages, e.g. a warning about a write statement sent by GET.
    #[serde(default)]
    pub messages: Vec<Message>,
}

/// One series: a measurement name, its tag set, and rows of values.
///
/// ```
/// let s = influx_core::decode::Series::default();
/// assert!(s.values.is_empty());
/// ```
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct Series {
    /// The measurement name.
    #[serde(default)]
    pub name: String,
    /// The tag set of a `GROUP BY` query.
    #[serde(default)]
    pub tags: std::collections::BTreeMap<String, String>,
    /// The column names.
    #[serde(default)]
    pub columns: Vec<String>,
    /// The rows, one value per column.
    #[serde(default)]
    pub values: Vec<Vec<serde_json::Value>>,
    /// True if more rows of this series follow in a later chunk.
    #[serde(default)]
    pub partial: bool,
}

impl QueryResponse {
    /// Reads a `/query` body (or one chunk of a chunked one), every number exactly as its text
    /// denotes it: integers that fit `i64`/`u64` stay integers, other numbers are the nearest
    /// f64 (InfluxDB prints a float of 2^53 or more as integer text).
    ///
    /// ```
    /// use influx_core::decode::QueryResponse;
    /// let r = QueryResponse::from_json(
    ///     br#"{"results":[{"series":[{"name":"m","columns":["time","v"],"values":[[1,0.30000000000000004],[2,1152921504606847000]]}]}]}"#,
    /// ).unwrap();
    /// let v: Vec<f64> = r.iter_points().map(|p| p.get("v").unwrap().as_f64().unwrap()).collect();
    /// assert_eq!(v, [0.1 + 0.2, 2f64.powi(60)]);
    /// assert!(QueryResponse::from_json(b"{").is_err());
    /// ```
    pub fn from_json(body: &[u8]) -> crate::Result<Self> {
        super::json_from_slice(body)
            .map_err(|e| crate::Error::new(crate::ErrorKind::Decode, "invalid query response").with_source(e))
    }

    /// Every row of every series of every statement, in order, with its series
    /// and statement (aioinflux's `iterpoints`).
    ///
    /// ```
    /// # let r = influx_core::decode::QueryResponse::default();
    /// for p in r.iter_points() {
    ///     println!("{} {:?} {:?}", p.series.name, p.series.tags, p.values);
    /// }
    /// ```
    pub fn iter_points(&self) -> impl Iterator<Item = PointRef<'_>> + '_ {
        self.results.iter().flat_map(|r| {
            r.series.iter().flat_map(move |s| {
                s.values.iter().map(move |v| PointRef { statement_id: r.statement_id, series: s, values: v })
            })
        })
    }

    /// [`QueryResponse::iter_points`] mapped through `f`, which also gets the series metadata.
    ///
    /// ```
    /// # let r = influx_core::decode::QueryResponse::default();
    /// let names: Vec<String> = r.iter_points_with(|p| format!("{}:{}", p.series.name, p.values.len())).collect();
    /// # assert!(names.is_empty());
    /// ```
    pub fn iter_points_with<'a, T, F>(&'a self, f: F) -> impl Iterator<Item = T> + 'a
    where
        F: FnMut(PointRef<'a>) -> T + 'a,
    {
        self.iter_points().map(f)
    }

    /// The first statement error, if any.
    ///
    /// ```
    /// # let r = influx_core::decode::QueryResponse::default();
    /// assert!(r.first_error().is_none());
    /// ```
    pub fn first_error(&self) -> Option<&str> {
        self.error.as_deref().or_else(|| self.results.iter().find_map(|r| r.error.as_deref()))
    }
}

/// One row of a raw response, with where it came from.
#[derive(Debug, Clone, Copy)]
pub struct PointRef<'a> {
    /// The statement's position in the query.
    pub statement_id: usize,
    /// The series (name, tags, columns).
    pub series: &'a Series,
    /// The row's values, one per column.
    pub values: &'a [serde_json::Value],
}

impl<'a> PointRef<'a> {
    /// The value of one column, or the series' tag of that name.
    ///
    /// ```
    /// # fn f(p: influx_core::decode::PointRef<'_>) { let _ = p.get("time"); }
    /// ```
    pub fn get(&self, column: &str) -> Option<&'a serde_json::Value> {
        self.series.columns.iter().position(|c| c == column).and_then(|i| self.values.get(i))
    }

    /// The value of a tag, from the series' tags or a string column.
    ///
    /// ```
    /// # fn f(p: influx_core::decode::PointRef<'_>) { let _ = p.tag("host"); }
    /// ```
    pub fn tag(&self, key: &str) -> Option<&'a str> {
        self.series.tags.get(key).map(String::as_str).or_else(|| self.get(key).and_then(|v| v.as_str()))
    }
}
