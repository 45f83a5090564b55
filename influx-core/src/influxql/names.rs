//! Identifier types: the only things that may stand where InfluxQL expects a name.

use std::fmt;

/// A database, retention policy, measurement, field, tag key or user name.
///
/// Rendered double-quoted and escaped, always (`"cpu"`), so any text is safe here.
/// Plain strings are values: wrapping a name in `Ident` is what lets it stand in
/// identifier position of a `query_pattern!`.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::influxql::Ident;
/// assert_eq!(Ident::new("cpu load").to_string(), r#""cpu load""#);
/// assert_eq!(Ident::new("cpu").as_str(), "cpu");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ident<'a>(&'a str);

impl<'a> Ident<'a> {
    /// The name `name`, exactly as given (no parsing of dots or quotes).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let m = influx::influxql::Ident::new("db.rp.m"); // one name containing dots
    /// assert_eq!(m.to_string(), r#""db.rp.m""#);
    /// ```
    pub const fn new(name: &'a str) -> Self {
        Self(name)
    }

    /// The unquoted name.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::influxql::Ident::new("x").as_str(), "x");
    /// ```
    pub const fn as_str(&self) -> &'a str {
        self.0
    }
}

impl AsRef<str> for Ident<'_> {
    fn as_ref(&self) -> &str {
        self.0
    }
}

impl<'a> From<&'a str> for Ident<'a> {
    fn from(name: &'a str) -> Self {
        Self(name)
    }
}

impl<'a> From<&'a String> for Ident<'a> {
    fn from(name: &'a String) -> Self {
        Self(name)
    }
}

impl fmt::Display for Ident<'_> {
    /// The quoted, escaped form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        super::quote_ident_into(&mut s, self.0);
        f.write_str(&s)
    }
}

/// A measurement, optionally qualified with its database and retention policy.
///
/// Each segment is quoted on its own: `"db"."rp"."m"`, or `"db".."m"` for the
/// database's default retention policy.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::influxql::Measurement;
/// let m = Measurement::new("cpu").database("telemetry").retention_policy("week");
/// assert_eq!(m.to_string(), r#""telemetry"."week"."cpu""#);
/// assert_eq!(Measurement::new("cpu").database("telemetry").to_string(), r#""telemetry".."cpu""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Measurement<'a> {
    database: Option<&'a str>,
    retention_policy: Option<&'a str>,
    name: &'a str,
}

impl<'a> Measurement<'a> {
    /// The measurement `name` of the query's database and its default retention policy.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::influxql::Measurement::new("m").to_string(), r#""m""#);
    /// ```
    pub const fn new(name: &'a str) -> Self {
        Self { database: None, retention_policy: None, name }
    }

    /// Qualifies it with a database.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # use influx::influxql::Measurement;
    /// assert_eq!(Measurement::new("m").database("d").to_string(), r#""d".."m""#);
    /// ```
    #[must_use]
    pub const fn database(mut self, database: &'a str) -> Self {
        self.database = Some(database);
        self
    }

    /// Qualifies it with a retention policy.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// # use influx::influxql::Measurement;
    /// assert_eq!(Measurement::new("m").retention_policy("rp").to_string(), r#""rp"."m""#);
    /// ```
    #[must_use]
    pub const fn retention_policy(mut self, retention_policy: &'a str) -> Self {
        self.retention_policy = Some(retention_policy);
        self
    }

    /// The unquoted measurement name.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::influxql::Measurement::new("m").database("d").name(), "m");
    /// ```
    pub const fn name(&self) -> &'a str {
        self.name
    }
}

impl<'a> From<Ident<'a>> for Measurement<'a> {
    fn from(i: Ident<'a>) -> Self {
        Self::new(i.0)
    }
}

/// The measurement `name` (one name: dots are not parsed).
impl<'a> From<&'a str> for Measurement<'a> {
    fn from(name: &'a str) -> Self {
        Self::new(name)
    }
}

impl<'a> From<&'a String> for Measurement<'a> {
    fn from(name: &'a String) -> Self {
        Self::new(name)
    }
}

impl fmt::Display for Measurement<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        super::quote_qualified_into(&mut s, self.database, self.retention_policy, self.name);
        f.write_str(&s)
    }
}

/// A regular expression (RE2 syntax, as the server runs it), for `=~`, `!~` and `FROM /.../`.
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::influxql::Regex;
/// assert_eq!(Regex::new("^cpu[0-9]+$").as_str(), "^cpu[0-9]+$");
/// // Match a user's text literally:
/// assert_eq!(Regex::literal("a.b").as_str(), r"a\.b");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Regex<'a>(std::borrow::Cow<'a, str>);

/// RE2 source text.
impl<'a> From<&'a str> for Regex<'a> {
    fn from(pattern: &'a str) -> Self {
        Self::new(pattern)
    }
}

impl<'a> Regex<'a> {
    /// A regex from RE2 source text.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// let r = influx::influxql::Regex::new("a|b");
    /// # let _ = r;
    /// ```
    pub fn new(pattern: &'a str) -> Self {
        Self(pattern.into())
    }

    /// A regex that matches `text` literally (anywhere; add `^`/`$` yourself with [`Regex::exact`]).
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::influxql::Regex::literal("1+1").as_str(), r"1\+1");
    /// ```
    pub fn literal(text: &str) -> Regex<'static> {
        Regex(super::escape_regex(text).into())
    }

    /// A regex that matches exactly `text` and nothing else.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::influxql::Regex::exact("a.b").as_str(), r"^a\.b$");
    /// ```
    pub fn exact(text: &str) -> Regex<'static> {
        Regex(format!("^{}$", super::escape_regex(text)).into())
    }

    /// The RE2 source text.
    ///
    /// ```
    /// # extern crate influx_core as influx;
    /// assert_eq!(influx::influxql::Regex::new("x").as_str(), "x");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
