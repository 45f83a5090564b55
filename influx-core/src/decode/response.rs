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
/// # extern crate influx_core as influx;
/// let r = influx::decode::QueryResponse::from_json(
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
/// # extern crate influx_core as influx;
/// let s = influx::decode::StatementResult::default();
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
/// # extern crate influx_core as influx;
/// let s = influx::decode::Series::default();
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
    /// # extern crate influx_core as influx;
    /// use influx::decode::QueryResponse;
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
    /// # extern crate influx_core as influx;
    /// # let r = influx::decode::QueryResponse::default();
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
    /// # extern crate influx_core as influx;
    /// # let r = influx::decode::QueryResponse::default();
    /// let names: Vec<String> = r.iter_points_with(|p| format!("{}:{}", p.series.name, p.values.len())).collect();
    /// # assert!(names.is_empty());
    /// ```
    pub fn iter_points_with<'a, T, F>(&'a self, f: F) -> impl Iterator<Item = T> + 'a
    where
        F: FnMut(PointRef<'a>) -> T + 'a,
    {
        self.iter_points().map(f)
    }

    /// The rows of series named `measurement` (`None`: every series) whose
    /// tags match all of `tags`, each from the series' `GROUP BY` tags or a
    /// string column of that name: influxdb-python's
    /// `ResultSet.get_points(measurement, tags)`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let r: influx::decode::QueryResponse = serde_json::from_str(r#"{"results":[{"statement_id":0,"series":[
    ///     {"name":"cpu","tags":{"host":"a"},"columns":["time","v"],"values":[[1,0.5],[2,0.7]]},
    ///     {"name":"cpu","tags":{"host":"b"},"columns":["time","v"],"values":[[1,0.1]]}]}]}"#).unwrap();
    /// assert_eq!(r.get_points(Some("cpu"), &[("host", "a")]).count(), 2);
    /// assert_eq!(r.get_points(None, &[]).count(), 3);
    /// assert_eq!(r.get_points(Some("mem"), &[]).count(), 0);
    /// ```
    pub fn get_points<'a>(
        &'a self,
        measurement: Option<&'a str>,
        tags: &'a [(&'a str, &'a str)],
    ) -> impl Iterator<Item = PointRef<'a>> + 'a {
        self.iter_points().filter(move |p| {
            measurement.is_none_or(|m| p.series.name == m) && tags.iter().all(|(k, v)| p.tag(k) == Some(*v))
        })
    }

    /// The series of every statement as `(name, tags)`, in order, once each:
    /// influxdb-python's `ResultSet.keys()`.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let r: influx::decode::QueryResponse = serde_json::from_str(r#"{"results":[{"statement_id":0,"series":[
    ///     {"name":"cpu","tags":{"host":"a"},"columns":["time","v"],"values":[[1,0.5]]},
    ///     {"name":"cpu","tags":{"host":"b"},"columns":["time","v"],"values":[[1,0.1]]}]}]}"#).unwrap();
    /// let keys: Vec<String> = r.keys().map(|(name, tags)| format!("{name} {tags:?}")).collect();
    /// assert_eq!(keys, [r#"cpu {"host": "a"}"#, r#"cpu {"host": "b"}"#]);
    /// ```
    pub fn keys(&self) -> impl Iterator<Item = (&str, &std::collections::BTreeMap<String, String>)> + '_ {
        let mut seen = std::collections::HashSet::new();
        self.results
            .iter()
            .flat_map(|r| r.series.iter())
            .map(|s| (s.name.as_str(), &s.tags))
            .filter(move |k| seen.insert(*k))
    }

    /// The first statement error, if any.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # let r = influx::decode::QueryResponse::default();
    /// assert!(r.first_error().is_none());
    /// ```
    pub fn first_error(&self) -> Option<&str> {
        self.error.as_deref().or_else(|| self.results.iter().find_map(|r| r.error.as_deref()))
    }
}

/// One row of a raw response, with where it came from.
///
/// Its `Debug` shows the series by name and tags and the row as column = value
/// pairs, not the whole series again for every row.
#[derive(Clone, Copy)]
pub struct PointRef<'a> {
    /// The statement's position in the query.
    pub statement_id: usize,
    /// The series (name, tags, columns).
    pub series: &'a Series,
    /// The row's values, one per column.
    pub values: &'a [serde_json::Value],
}

impl std::fmt::Debug for PointRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        struct Row<'a>(&'a [String], &'a [serde_json::Value]);
        impl std::fmt::Debug for Row<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_map().entries(self.0.iter().zip(self.1)).finish()
            }
        }
        f.debug_struct("PointRef")
            .field("statement_id", &self.statement_id)
            .field("series", &self.series.name)
            .field("tags", &self.series.tags)
            .field("values", &Row(&self.series.columns, self.values))
            .finish()
    }
}

impl<'a> PointRef<'a> {
    /// The value of one column, or the series' tag of that name.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(p: influx::decode::PointRef<'_>) { let _ = p.get("time"); }
    /// ```
    pub fn get(&self, column: &str) -> Option<&'a serde_json::Value> {
        self.series.columns.iter().position(|c| c == column).and_then(|i| self.values.get(i))
    }

    /// The value of a tag, from the series' tags or a string column.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # fn f(p: influx::decode::PointRef<'_>) { let _ = p.tag("host"); }
    /// ```
    pub fn tag(&self, key: &str) -> Option<&'a str> {
        self.series.tags.get(key).map(String::as_str).or_else(|| self.get(key).and_then(|v| v.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_debug_is_one_row() {
        let values: Vec<Vec<serde_json::Value>> = (0..100).map(|i| vec![i.into(), 0.5.into()]).collect();
        let series = Series {
            name: "cpu".into(),
            tags: [("host".to_owned(), "a".to_owned())].into(),
            columns: vec!["time".into(), "v".into()],
            values,
            partial: false,
        };
        let r = QueryResponse {
            results: vec![StatementResult { series: vec![series], ..Default::default() }],
            error: None,
        };
        let p = r.iter_points().nth(7).unwrap();
        assert_eq!(
            format!("{p:?}"),
            r#"PointRef { statement_id: 0, series: "cpu", tags: {"host": "a"}, values: {"time": Number(7), "v": Number(0.5)} }"#
        );
        assert_eq!(r.keys().count(), 1);
    }
}
