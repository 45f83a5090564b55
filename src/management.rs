//! The management API: databases, measurements, series, retention policies,
//! users, privileges and continuous queries, with influxdb-python's method
//! names, argument order and defaults, and aioinflux's built-in patterns.
//!
//! One trait, [`Management`], implemented for every
//! [`QueryExecutor`](crate::QueryExecutor): the async client (methods return
//! futures), the blocking client (methods return a `Result`) and
//! [`Render`](crate::Render) (methods return the statement, nothing is sent).
//! Names are plain strings (`&str`, `&String` or [`Ident`]) and are always
//! double-quoted and escaped; passwords and tag values are single-quoted and
//! escaped; durations are text as users write it (`"2h"`, `"7d"`, `"INF"`) or
//! a `Duration`. A `database` argument takes a name or `None` for the
//! client's database, as influxdb-python's `database=None` does.
//!
//! The fixed statements are `query_pattern!` templates (checked at compile
//! time); the ones with optional clauses are built from the same quoting.

use std::ops::{Bound, RangeBounds};

use serde::de::SeqAccess;
use serde::Deserialize;

use influx_core::decode::{DecodeRow, RowReader, SerdeRow, SeriesInfo};

use crate::influxql::{Duration, Ident, IntoDuration, Measurement, QueryIdent, QueryValue, Regex};
use crate::{Error, ErrorKind, Query, QueryExecutor, QueryOutput, Result};

crate::query_pattern! {
    /// The statements of [`Management`] that have no optional clause.
    trait Statements {
        fn create_database(db: Ident<'_>) = "CREATE DATABASE {db}";
        fn drop_database(db: Ident<'_>) = "DROP DATABASE {db}";
        fn drop_measurement(measurement: Ident<'_>) = "DROP MEASUREMENT {measurement}";
        fn show_databases() -> Vec<DatabaseInfo> = "SHOW DATABASES";
        fn show_measurements() -> Vec<MeasurementInfo> = "SHOW MEASUREMENTS";
        fn show_measurements_on(db: Ident<'_>) -> Vec<MeasurementInfo> = "SHOW MEASUREMENTS ON {db}";
        fn show_measurements_matching(re: Regex<'_>) -> Vec<MeasurementInfo> =
            "SHOW MEASUREMENTS WITH MEASUREMENT =~ {re}";
        fn show_series() -> Vec<SeriesKey> = "SHOW SERIES";
        fn show_series_from(measurement: Measurement<'_>) -> Vec<SeriesKey> = "SHOW SERIES FROM {measurement}";
        fn show_tag_keys() -> Vec<TagKey> = "SHOW TAG KEYS";
        fn show_tag_keys_from(measurement: Measurement<'_>) -> Vec<TagKey> = "SHOW TAG KEYS FROM {measurement}";
        fn show_tag_values(key: Ident<'_>) -> Vec<TagKeyValue> = "SHOW TAG VALUES WITH KEY = {key}";
        fn show_tag_values_from(measurement: Measurement<'_>, key: Ident<'_>) -> Vec<TagKeyValue> =
            "SHOW TAG VALUES FROM {measurement} WITH KEY = {key}";
        fn show_field_keys() -> Vec<FieldKey> = "SHOW FIELD KEYS";
        fn show_field_keys_from(measurement: Measurement<'_>) -> Vec<FieldKey> = "SHOW FIELD KEYS FROM {measurement}";
        fn show_retention_policies(db: Ident<'_>) -> Vec<RetentionPolicyInfo> = "SHOW RETENTION POLICIES ON {db}";
        fn set_default_retention_policy(name: Ident<'_>, db: Ident<'_>) =
            "ALTER RETENTION POLICY {name} ON {db} DEFAULT";
        fn drop_retention_policy(name: Ident<'_>, db: Ident<'_>) = "DROP RETENTION POLICY {name} ON {db}";
        fn show_users() -> Vec<UserInfo> = "SHOW USERS";
        fn create_user(user: Ident<'_>, password: &str) = "CREATE USER {user} WITH PASSWORD {password}";
        fn create_admin_user(user: Ident<'_>, password: &str) =
            "CREATE USER {user} WITH PASSWORD {password} WITH ALL PRIVILEGES";
        fn drop_user(user: Ident<'_>) = "DROP USER {user}";
        fn set_user_password(user: Ident<'_>, password: &str) = "SET PASSWORD FOR {user} = {password}";
        fn grant_admin_privileges(user: Ident<'_>) = "GRANT ALL PRIVILEGES TO {user}";
        fn revoke_admin_privileges(user: Ident<'_>) = "REVOKE ALL PRIVILEGES FROM {user}";
        fn grant_read(db: Ident<'_>, user: Ident<'_>) = "GRANT READ ON {db} TO {user}";
        fn grant_write(db: Ident<'_>, user: Ident<'_>) = "GRANT WRITE ON {db} TO {user}";
        fn grant_all(db: Ident<'_>, user: Ident<'_>) = "GRANT ALL ON {db} TO {user}";
        fn revoke_read(db: Ident<'_>, user: Ident<'_>) = "REVOKE READ ON {db} FROM {user}";
        fn revoke_write(db: Ident<'_>, user: Ident<'_>) = "REVOKE WRITE ON {db} FROM {user}";
        fn revoke_all(db: Ident<'_>, user: Ident<'_>) = "REVOKE ALL ON {db} FROM {user}";
        fn get_list_privileges(user: Ident<'_>) -> Vec<Grant> = "SHOW GRANTS FOR {user}";
        fn show_continuous_queries() -> Vec<ContinuousQueryInfo> = "SHOW CONTINUOUS QUERIES";
        fn drop_continuous_query(name: Ident<'_>, db: Ident<'_>) = "DROP CONTINUOUS QUERY {name} ON {db}";
        fn drop_series_from(measurement: Measurement<'_>) = "DROP SERIES FROM {measurement}";
    }
}

/// A name that may be left out: `&str`, `&String`, [`Ident`], or `None`.
///
/// A `database` argument of `None` means the client's database, a
/// `measurement` of `None` every measurement (influxdb-python's `=None`).
///
/// ```
/// use influx::OptionalName;
/// assert_eq!("db".into_name(), Some("db"));
/// assert_eq!(None.into_name(), None);
/// ```
pub trait OptionalName<'a> {
    /// The name, or `None`.
    fn into_name(self) -> Option<&'a str>;
}

impl<'a> OptionalName<'a> for &'a str {
    fn into_name(self) -> Option<&'a str> {
        Some(self)
    }
}

impl<'a> OptionalName<'a> for &'a String {
    fn into_name(self) -> Option<&'a str> {
        Some(self)
    }
}

impl<'a> OptionalName<'a> for Ident<'a> {
    fn into_name(self) -> Option<&'a str> {
        Some(self.as_str())
    }
}

/// The only `Option` accepted, so that a bare `None` needs no annotation.
impl<'a> OptionalName<'a> for Option<&'a str> {
    fn into_name(self) -> Option<&'a str> {
        self
    }
}

/// The database a statement runs on: the one given, else the executor's.
fn database_of<'a, E: QueryExecutor + ?Sized>(executor: &'a E, given: Option<&'a str>) -> Result<&'a str> {
    given
        .or_else(|| executor.default_database())
        .ok_or_else(|| Error::new(ErrorKind::Argument, "no database: pass one, or set a database on the client"))
}

fn argument(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Argument, message)
}

/// Server management through InfluxQL, in one trait: `use influx::Management;`
/// (or `use influx::prelude::*;`) and call the methods on a client.
///
/// Method names, argument order and defaults are influxdb-python's
/// (`get_list_*`, `create_retention_policy(name, duration, replication,
/// database, default, shard_duration)`, ...), plus aioinflux's built-in
/// patterns (`show_*`). Where Python has `database=None`, pass `None` for the
/// client's database.
///
/// ```no_run
/// use influx::Management;
/// # async fn f(client: influx::Client) -> influx::Result<()> {
/// client.create_database("metrics").await?;
/// client.create_retention_policy("short", "2h", 1, "metrics", false, None).await?;
/// for db in client.get_list_database().await? {
///     println!("{}", db.name);
/// }
/// # Ok(()) }
/// ```
///
/// The same call on [`Render`](crate::Render) shows the statement without sending it:
///
/// ```
/// use influx::{Management, Render};
/// let q = Render.create_retention_policy("short", "2h", 1, "j5", false, None).unwrap();
/// assert_eq!(q.text(), r#"CREATE RETENTION POLICY "short" ON "j5" DURATION 2h REPLICATION 1"#);
/// ```
pub trait Management: QueryExecutor {
    /// Creates a database (no error if it exists).
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// client.create_database("metrics").await?;
    /// # Ok(()) }
    /// assert_eq!(Render.create_database("metrics").unwrap().text(), r#"CREATE DATABASE "metrics""#);
    /// ```
    fn create_database(&self, name: impl AsRef<str>) -> Self::Output<'_, ()> {
        Statements::create_database(self, Ident::new(name.as_ref()))
    }

    /// Drops a database and all its data.
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// client.drop_database("scratch").await?;
    /// # Ok(()) }
    /// assert_eq!(Render.drop_database("scratch").unwrap().text(), r#"DROP DATABASE "scratch""#);
    /// ```
    fn drop_database(&self, name: impl AsRef<str>) -> Self::Output<'_, ()> {
        Statements::drop_database(self, Ident::new(name.as_ref()))
    }

    /// Every database (aioinflux's name).
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// for db in client.show_databases().await? {
    ///     println!("{}", db.name);
    /// }
    /// # Ok(()) }
    /// assert_eq!(Render.show_databases().unwrap().text(), "SHOW DATABASES");
    /// ```
    fn show_databases(&self) -> Self::Output<'_, Vec<DatabaseInfo>> {
        Statements::show_databases(self)
    }

    /// Every database (influxdb-python's name).
    ///
    /// ```
    /// use influx::Management;
    /// # fn f(client: influx::blocking::Client) -> influx::Result<()> {
    /// let names: Vec<String> = client.get_list_database()?.into_iter().map(|d| d.name).collect();
    /// # Ok(()) }
    /// ```
    fn get_list_database(&self) -> Self::Output<'_, Vec<DatabaseInfo>> {
        Statements::show_databases(self)
    }

    /// Drops a measurement of the client's database, with all its series.
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// client.drop_measurement("cpu").await?;
    /// # Ok(()) }
    /// assert_eq!(Render.drop_measurement("cpu").unwrap().text(), r#"DROP MEASUREMENT "cpu""#);
    /// ```
    fn drop_measurement(&self, measurement: impl AsRef<str>) -> Self::Output<'_, ()> {
        Statements::drop_measurement(self, Ident::new(measurement.as_ref()))
    }

    /// The measurements of the client's database (aioinflux's name).
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// let measurements = client.show_measurements().await?;
    /// # Ok(()) }
    /// assert_eq!(Render.show_measurements().unwrap().text(), "SHOW MEASUREMENTS");
    /// ```
    fn show_measurements(&self) -> Self::Output<'_, Vec<MeasurementInfo>> {
        Statements::show_measurements(self)
    }

    /// The measurements of the client's database (influxdb-python's name).
    ///
    /// ```
    /// use influx::Management;
    /// # fn f(client: influx::blocking::Client) -> influx::Result<()> {
    /// for m in client.get_list_measurements()? {
    ///     println!("{}", m.name);
    /// }
    /// # Ok(()) }
    /// ```
    fn get_list_measurements(&self) -> Self::Output<'_, Vec<MeasurementInfo>> {
        Statements::show_measurements(self)
    }

    /// The measurements of `database`.
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// let measurements = client.show_measurements_on("telemetry").await?;
    /// # Ok(()) }
    /// assert_eq!(Render.show_measurements_on("telemetry").unwrap().text(), r#"SHOW MEASUREMENTS ON "telemetry""#);
    /// ```
    fn show_measurements_on(&self, database: impl AsRef<str>) -> Self::Output<'_, Vec<MeasurementInfo>> {
        Statements::show_measurements_on(self, Ident::new(database.as_ref()))
    }

    /// The measurements whose name matches a regex (RE2 text, or a [`Regex`]).
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// let cpus = client.show_measurements_matching("^cpu").await?;
    /// # Ok(()) }
    /// assert_eq!(Render.show_measurements_matching("^cpu").unwrap().text(), "SHOW MEASUREMENTS WITH MEASUREMENT =~ /^cpu/");
    /// ```
    fn show_measurements_matching<'r>(&self, regex: impl Into<Regex<'r>>) -> Self::Output<'_, Vec<MeasurementInfo>> {
        Statements::show_measurements_matching(self, regex.into())
    }

    /// The series keys of the client's database.
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// for s in client.show_series().await? {
    ///     println!("{}", s.key);
    /// }
    /// # Ok(()) }
    /// assert_eq!(Render.show_series().unwrap().text(), "SHOW SERIES");
    /// ```
    fn show_series(&self) -> Self::Output<'_, Vec<SeriesKey>> {
        Statements::show_series(self)
    }

    /// The series keys of one measurement (a name, or a qualified
    /// [`Measurement`]).
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// let series = client.show_series_from("cpu").await?;
    /// # Ok(()) }
    /// assert_eq!(Render.show_series_from("cpu").unwrap().text(), r#"SHOW SERIES FROM "cpu""#);
    /// ```
    fn show_series_from<'m>(&self, measurement: impl Into<Measurement<'m>>) -> Self::Output<'_, Vec<SeriesKey>> {
        Statements::show_series_from(self, measurement.into())
    }

    /// The series keys of `database` (`None`: the client's), optionally of one
    /// measurement and matching tag values (influxdb-python's
    /// `get_list_series(database, measurement, tags)`).
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # fn f(client: influx::blocking::Client) -> influx::Result<()> {
    /// let all = client.get_list_series(None, None, &[])?;
    /// let some = client.get_list_series("telemetry", "cpu", &[("host", "web-1")])?;
    /// # Ok(()) }
    /// let q = Render.get_list_series("telemetry", "cpu", &[("host", "web-1")]).unwrap();
    /// assert_eq!(q.text(), r#"SHOW SERIES FROM "cpu" WHERE "host" = 'web-1'"#);
    /// assert_eq!(q.get_database(), Some("telemetry"));
    /// ```
    fn get_list_series<'d, 'm>(
        &self,
        database: impl OptionalName<'d>,
        measurement: impl OptionalName<'m>,
        tags: &[(&str, &str)],
    ) -> Self::Output<'_, Vec<SeriesKey>> {
        let query = database_of(self, database.into_name())
            .and_then(|db| series_filter("SHOW SERIES", db, measurement.into_name(), tags, false));
        self.execute::<Vec<SeriesKey>>(query)
    }

    /// Deletes series of `database` (`None`: the client's) by measurement
    /// and/or tag values (`DROP SERIES FROM ... WHERE ...`; influxdb-python's
    /// `delete_series(database, measurement, tags)`). With neither a
    /// measurement nor tags it is an error: use [`Management::drop_database`]
    /// to delete everything.
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// client.delete_series(None, "cpu", &[("host", "server01")]).await?;
    /// # Ok(()) }
    /// let q = Render.delete_series("db", "cpu", &[("host", "server01")]).unwrap();
    /// assert_eq!(q.text(), r#"DROP SERIES FROM "cpu" WHERE "host" = 'server01'"#);
    /// assert!(Render.delete_series("db", None, &[]).is_err());
    /// ```
    fn delete_series<'d, 'm>(
        &self,
        database: impl OptionalName<'d>,
        measurement: impl OptionalName<'m>,
        tags: &[(&str, &str)],
    ) -> Self::Output<'_, ()> {
        let query = database_of(self, database.into_name())
            .and_then(|db| series_filter("DROP SERIES", db, measurement.into_name(), tags, true));
        self.execute::<()>(query)
    }

    /// Drops every series of a measurement (the measurement stays in the
    /// index until compaction).
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// client.drop_series_from("cpu").await?;
    /// # Ok(()) }
    /// assert_eq!(Render.drop_series_from("cpu").unwrap().text(), r#"DROP SERIES FROM "cpu""#);
    /// ```
    fn drop_series_from<'m>(&self, measurement: impl Into<Measurement<'m>>) -> Self::Output<'_, ()> {
        Statements::drop_series_from(self, measurement.into())
    }

    /// Deletes the points of `database` (`None`: the client's) in a time range,
    /// optionally of one measurement and matching tag values: `DELETE FROM ...
    /// WHERE ... AND time >= ... AND time < ...`. The range is any Rust range
    /// of `chrono::DateTime<Utc>` (`start..end`, `..end`, `start..`, `..=end`).
    /// With no measurement, no tags and an unbounded range it is an error: use
    /// [`Management::drop_database`] to delete everything.
    ///
    /// ```
    /// use influx::{Management, Render};
    /// use chrono::{TimeZone, Utc};
    /// let cutoff = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
    /// # async fn f(client: influx::Client, cutoff: chrono::DateTime<Utc>) -> influx::Result<()> {
    /// client.delete_points(None, "cpu", &[("host", "a")], ..cutoff).await?;
    /// # Ok(()) }
    /// let q = Render.delete_points("db", "cpu", &[("host", "a")], ..cutoff).unwrap();
    /// assert_eq!(q.text(), r#"DELETE FROM "cpu" WHERE "host" = 'a' AND time < '2024-01-01T00:00:00Z'"#);
    /// ```
    fn delete_points<'d, 'm>(
        &self,
        database: impl OptionalName<'d>,
        measurement: impl OptionalName<'m>,
        tags: &[(&str, &str)],
        time: impl RangeBounds<chrono::DateTime<chrono::Utc>>,
    ) -> Self::Output<'_, ()> {
        let query = database_of(self, database.into_name())
            .and_then(|db| delete_statement(db, measurement.into_name(), tags, &time));
        self.execute::<()>(query)
    }

    /// The tag keys of every measurement.
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// for k in client.show_tag_keys().await? {
    ///     println!("{}: {}", k.measurement, k.key);
    /// }
    /// # Ok(()) }
    /// assert_eq!(Render.show_tag_keys().unwrap().text(), "SHOW TAG KEYS");
    /// ```
    fn show_tag_keys(&self) -> Self::Output<'_, Vec<TagKey>> {
        Statements::show_tag_keys(self)
    }

    /// The tag keys of one measurement.
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// let keys = client.show_tag_keys_from("cpu").await?;
    /// # Ok(()) }
    /// assert_eq!(Render.show_tag_keys_from("cpu").unwrap().text(), r#"SHOW TAG KEYS FROM "cpu""#);
    /// ```
    fn show_tag_keys_from<'m>(&self, measurement: impl Into<Measurement<'m>>) -> Self::Output<'_, Vec<TagKey>> {
        Statements::show_tag_keys_from(self, measurement.into())
    }

    /// The values of tag `key` in every measurement.
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// let hosts = client.show_tag_values("host").await?;
    /// # Ok(()) }
    /// assert_eq!(Render.show_tag_values("host").unwrap().text(), r#"SHOW TAG VALUES WITH KEY = "host""#);
    /// ```
    fn show_tag_values(&self, key: impl AsRef<str>) -> Self::Output<'_, Vec<TagKeyValue>> {
        Statements::show_tag_values(self, Ident::new(key.as_ref()))
    }

    /// The values of tag `key` in one measurement (aioinflux's
    /// `show_tag_values_from(measurement, key)`).
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// for v in client.show_tag_values_from("cpu", "host").await? {
    ///     println!("{}", v.value);
    /// }
    /// # Ok(()) }
    /// let q = Render.show_tag_values_from("cpu", "host").unwrap();
    /// assert_eq!(q.text(), r#"SHOW TAG VALUES FROM "cpu" WITH KEY = "host""#);
    /// ```
    fn show_tag_values_from<'m>(
        &self,
        measurement: impl Into<Measurement<'m>>,
        key: impl AsRef<str>,
    ) -> Self::Output<'_, Vec<TagKeyValue>> {
        Statements::show_tag_values_from(self, measurement.into(), Ident::new(key.as_ref()))
    }

    /// The field keys and types of every measurement.
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// for f in client.show_field_keys().await? {
    ///     println!("{}.{}: {}", f.measurement, f.key, f.field_type);
    /// }
    /// # Ok(()) }
    /// assert_eq!(Render.show_field_keys().unwrap().text(), "SHOW FIELD KEYS");
    /// ```
    fn show_field_keys(&self) -> Self::Output<'_, Vec<FieldKey>> {
        Statements::show_field_keys(self)
    }

    /// The field keys and types of one measurement.
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// let fields = client.show_field_keys_from("cpu").await?;
    /// # Ok(()) }
    /// assert_eq!(Render.show_field_keys_from("cpu").unwrap().text(), r#"SHOW FIELD KEYS FROM "cpu""#);
    /// ```
    fn show_field_keys_from<'m>(&self, measurement: impl Into<Measurement<'m>>) -> Self::Output<'_, Vec<FieldKey>> {
        Statements::show_field_keys_from(self, measurement.into())
    }

    /// The retention policies of `database` (`None`: the client's).
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// for rp in client.show_retention_policies(None).await? {
    ///     println!("{} keeps data for {}", rp.name, rp.duration);
    /// }
    /// # Ok(()) }
    /// let q = Render.show_retention_policies("telemetry").unwrap();
    /// assert_eq!(q.text(), r#"SHOW RETENTION POLICIES ON "telemetry""#);
    /// ```
    fn show_retention_policies<'d>(
        &self,
        database: impl OptionalName<'d>,
    ) -> Self::Output<'_, Vec<RetentionPolicyInfo>> {
        match database_of(self, database.into_name()) {
            Ok(db) => Statements::show_retention_policies(self, Ident::new(db)),
            Err(e) => self.execute::<Vec<RetentionPolicyInfo>>(Err(e)),
        }
    }

    /// The retention policies of `database` (`None`: the client's;
    /// influxdb-python's name).
    ///
    /// ```
    /// use influx::Management;
    /// # fn f(client: influx::blocking::Client) -> influx::Result<()> {
    /// let default = client.get_list_retention_policies(None)?.into_iter().find(|rp| rp.default);
    /// # Ok(()) }
    /// ```
    fn get_list_retention_policies<'d>(
        &self,
        database: impl OptionalName<'d>,
    ) -> Self::Output<'_, Vec<RetentionPolicyInfo>> {
        self.show_retention_policies(database)
    }

    /// Creates a retention policy on `database` (`None`: the client's), in
    /// influxdb-python's order: how long data is kept (`"2h"`, `"7d"`, `"INF"`
    /// or `None` for forever), the replication factor, the database, whether it
    /// becomes the database's default, and the shard group duration (`None`:
    /// the server chooses from the duration).
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// // Python: client.create_retention_policy('short', '2h', 1, database='j5')
    /// client.create_retention_policy("short", "2h", 1, "j5", false, None).await?;
    /// client.create_retention_policy("year", "52w", 1, None, true, "1w").await?;
    /// # Ok(()) }
    /// let q = Render.create_retention_policy("year", "52w", 1, "j5", true, "1w").unwrap();
    /// assert_eq!(
    ///     q.text(),
    ///     r#"CREATE RETENTION POLICY "year" ON "j5" DURATION 52w REPLICATION 1 SHARD DURATION 1w DEFAULT"#
    /// );
    /// assert!(Render.create_retention_policy("x", "2 hours", 1, "j5", false, None).is_err());
    /// ```
    fn create_retention_policy<'d>(
        &self,
        name: impl AsRef<str>,
        duration: impl IntoDuration,
        replication: u32,
        database: impl OptionalName<'d>,
        default: bool,
        shard_duration: impl IntoDuration,
    ) -> Self::Output<'_, ()> {
        let query = (|| {
            let db = database_of(self, database.into_name())?;
            let duration = duration.into_duration().map_err(|e| e.context("duration"))?;
            let shard = shard_duration.into_duration().map_err(|e| e.context("shard duration"))?;
            let mut q = String::from("CREATE RETENTION POLICY ");
            Ident::new(name.as_ref()).write_ident(&mut q);
            q.push_str(" ON ");
            Ident::new(db).write_ident(&mut q);
            q.push_str(&format!(" DURATION {duration} REPLICATION {replication}"));
            if !shard.is_zero() {
                q.push_str(&format!(" SHARD DURATION {shard}"));
            }
            if default {
                q.push_str(" DEFAULT");
            }
            Ok(crate::__private::pattern_query(q, true))
        })();
        self.execute::<()>(query)
    }

    /// Changes a retention policy of `database` (`None`: the client's); at
    /// least one attribute must be set (influxdb-python's
    /// `alter_retention_policy(name, database, duration, replication, default,
    /// shard_duration)`, with the changes in a [`RetentionPolicyChange`]).
    ///
    /// ```
    /// use influx::{Management, Render, RetentionPolicyChange};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// client.alter_retention_policy("week", None, RetentionPolicyChange::new().duration("14d").make_default()).await?;
    /// # Ok(()) }
    /// let q = Render.alter_retention_policy("week", "db", RetentionPolicyChange::new().replication(2)).unwrap();
    /// assert_eq!(q.text(), r#"ALTER RETENTION POLICY "week" ON "db" REPLICATION 2"#);
    /// assert!(Render.alter_retention_policy("week", "db", RetentionPolicyChange::new()).is_err());
    /// ```
    fn alter_retention_policy<'d>(
        &self,
        name: impl AsRef<str>,
        database: impl OptionalName<'d>,
        change: RetentionPolicyChange,
    ) -> Self::Output<'_, ()> {
        let query = (|| {
            let db = database_of(self, database.into_name())?;
            let mut q = String::from("ALTER RETENTION POLICY ");
            Ident::new(name.as_ref()).write_ident(&mut q);
            q.push_str(" ON ");
            Ident::new(db).write_ident(&mut q);
            let empty = q.len();
            if let Some(d) = change.duration {
                let d = d.map_err(|e| argument(e).context("duration"))?;
                q.push_str(&format!(" DURATION {d}"));
            }
            if let Some(r) = change.replication {
                q.push_str(&format!(" REPLICATION {r}"));
            }
            if let Some(d) = change.shard_duration {
                let d = d.map_err(|e| argument(e).context("shard duration"))?;
                q.push_str(&format!(" SHARD DURATION {d}"));
            }
            if change.default {
                q.push_str(" DEFAULT");
            }
            if q.len() == empty {
                return Err(argument("alter_retention_policy: nothing to change"));
            }
            Ok(crate::__private::pattern_query(q, true))
        })();
        self.execute::<()>(query)
    }

    /// Makes a retention policy the default of `database` (`None`: the client's).
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// client.set_default_retention_policy("autogen", None).await?;
    /// # Ok(()) }
    /// let q = Render.set_default_retention_policy("autogen", "db").unwrap();
    /// assert_eq!(q.text(), r#"ALTER RETENTION POLICY "autogen" ON "db" DEFAULT"#);
    /// ```
    fn set_default_retention_policy<'d>(
        &self,
        name: impl AsRef<str>,
        database: impl OptionalName<'d>,
    ) -> Self::Output<'_, ()> {
        match database_of(self, database.into_name()) {
            Ok(db) => Statements::set_default_retention_policy(self, Ident::new(name.as_ref()), Ident::new(db)),
            Err(e) => self.execute::<()>(Err(e)),
        }
    }

    /// Drops a retention policy of `database` (`None`: the client's) and its data.
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// client.drop_retention_policy("short", None).await?;
    /// # Ok(()) }
    /// assert_eq!(Render.drop_retention_policy("short", "db").unwrap().text(), r#"DROP RETENTION POLICY "short" ON "db""#);
    /// ```
    fn drop_retention_policy<'d>(
        &self,
        name: impl AsRef<str>,
        database: impl OptionalName<'d>,
    ) -> Self::Output<'_, ()> {
        match database_of(self, database.into_name()) {
            Ok(db) => Statements::drop_retention_policy(self, Ident::new(name.as_ref()), Ident::new(db)),
            Err(e) => self.execute::<()>(Err(e)),
        }
    }

    /// Every user and whether it is an admin (aioinflux's name).
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// for u in client.show_users().await? {
    ///     println!("{} admin={}", u.user, u.admin);
    /// }
    /// # Ok(()) }
    /// assert_eq!(Render.show_users().unwrap().text(), "SHOW USERS");
    /// ```
    fn show_users(&self) -> Self::Output<'_, Vec<UserInfo>> {
        Statements::show_users(self)
    }

    /// Every user (influxdb-python's name).
    ///
    /// ```
    /// use influx::Management;
    /// # fn f(client: influx::blocking::Client) -> influx::Result<()> {
    /// let admins = client.get_list_users()?.into_iter().filter(|u| u.admin).count();
    /// # Ok(()) }
    /// ```
    fn get_list_users(&self) -> Self::Output<'_, Vec<UserInfo>> {
        Statements::show_users(self)
    }

    /// Creates a user, an admin if `admin` (influxdb-python's
    /// `create_user(username, password, admin=False)`). With auth on and no
    /// users yet, the server accepts only an admin.
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// client.create_user("grafana", "s3cret", false).await?;
    /// # Ok(()) }
    /// let q = Render.create_user("root", "p4ss'word", true).unwrap();
    /// assert_eq!(q.text(), r#"CREATE USER "root" WITH PASSWORD 'p4ss\'word' WITH ALL PRIVILEGES"#);
    /// assert!(!format!("{q:?}").contains("p4ss"), "Debug hides the password");
    /// ```
    fn create_user(&self, username: impl AsRef<str>, password: &str, admin: bool) -> Self::Output<'_, ()> {
        let user = Ident::new(username.as_ref());
        if admin {
            Statements::create_admin_user(self, user, password)
        } else {
            Statements::create_user(self, user, password)
        }
    }

    /// Drops a user.
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// client.drop_user("grafana").await?;
    /// # Ok(()) }
    /// assert_eq!(Render.drop_user("grafana").unwrap().text(), r#"DROP USER "grafana""#);
    /// ```
    fn drop_user(&self, username: impl AsRef<str>) -> Self::Output<'_, ()> {
        Statements::drop_user(self, Ident::new(username.as_ref()))
    }

    /// Sets a user's password.
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// client.set_user_password("grafana", "n3w").await?;
    /// # Ok(()) }
    /// assert_eq!(Render.set_user_password("grafana", "n3w").unwrap().text(), r#"SET PASSWORD FOR "grafana" = 'n3w'"#);
    /// ```
    fn set_user_password(&self, username: impl AsRef<str>, password: &str) -> Self::Output<'_, ()> {
        Statements::set_user_password(self, Ident::new(username.as_ref()), password)
    }

    /// Makes a user an admin.
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// client.grant_admin_privileges("ops").await?;
    /// # Ok(()) }
    /// assert_eq!(Render.grant_admin_privileges("ops").unwrap().text(), r#"GRANT ALL PRIVILEGES TO "ops""#);
    /// ```
    fn grant_admin_privileges(&self, username: impl AsRef<str>) -> Self::Output<'_, ()> {
        Statements::grant_admin_privileges(self, Ident::new(username.as_ref()))
    }

    /// Takes admin rights from a user.
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// client.revoke_admin_privileges("ops").await?;
    /// # Ok(()) }
    /// assert_eq!(Render.revoke_admin_privileges("ops").unwrap().text(), r#"REVOKE ALL PRIVILEGES FROM "ops""#);
    /// ```
    fn revoke_admin_privileges(&self, username: impl AsRef<str>) -> Self::Output<'_, ()> {
        Statements::revoke_admin_privileges(self, Ident::new(username.as_ref()))
    }

    /// Grants `privilege` on `database` to a user (influxdb-python's
    /// `grant_privilege(privilege, database, username)`; [`Privilege`] also
    /// parses `"read"`, `"write"`, `"all"`).
    ///
    /// ```
    /// use influx::{Management, Privilege, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// client.grant_privilege(Privilege::Read, "metrics", "grafana").await?;
    /// # Ok(()) }
    /// let q = Render.grant_privilege("write".parse().unwrap(), "metrics", "grafana").unwrap();
    /// assert_eq!(q.text(), r#"GRANT WRITE ON "metrics" TO "grafana""#);
    /// ```
    fn grant_privilege(
        &self,
        privilege: Privilege,
        database: impl AsRef<str>,
        username: impl AsRef<str>,
    ) -> Self::Output<'_, ()> {
        let (db, user) = (Ident::new(database.as_ref()), Ident::new(username.as_ref()));
        match privilege {
            Privilege::Read => Statements::grant_read(self, db, user),
            Privilege::Write => Statements::grant_write(self, db, user),
            Privilege::All => Statements::grant_all(self, db, user),
        }
    }

    /// Revokes `privilege` on `database` from a user.
    ///
    /// ```
    /// use influx::{Management, Privilege, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// client.revoke_privilege(Privilege::Write, "metrics", "grafana").await?;
    /// # Ok(()) }
    /// let q = Render.revoke_privilege(Privilege::All, "metrics", "grafana").unwrap();
    /// assert_eq!(q.text(), r#"REVOKE ALL ON "metrics" FROM "grafana""#);
    /// ```
    fn revoke_privilege(
        &self,
        privilege: Privilege,
        database: impl AsRef<str>,
        username: impl AsRef<str>,
    ) -> Self::Output<'_, ()> {
        let (db, user) = (Ident::new(database.as_ref()), Ident::new(username.as_ref()));
        match privilege {
            Privilege::Read => Statements::revoke_read(self, db, user),
            Privilege::Write => Statements::revoke_write(self, db, user),
            Privilege::All => Statements::revoke_all(self, db, user),
        }
    }

    /// A user's privileges, per database.
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// for g in client.get_list_privileges("grafana").await? {
    ///     println!("{}: {:?}", g.database, g.privilege);
    /// }
    /// # Ok(()) }
    /// assert_eq!(Render.get_list_privileges("grafana").unwrap().text(), r#"SHOW GRANTS FOR "grafana""#);
    /// ```
    fn get_list_privileges(&self, username: impl AsRef<str>) -> Self::Output<'_, Vec<Grant>> {
        Statements::get_list_privileges(self, Ident::new(username.as_ref()))
    }

    /// Every continuous query, with its database (aioinflux's name).
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// for cq in client.show_continuous_queries().await? {
    ///     println!("{}.{}: {}", cq.database, cq.name, cq.query);
    /// }
    /// # Ok(()) }
    /// assert_eq!(Render.show_continuous_queries().unwrap().text(), "SHOW CONTINUOUS QUERIES");
    /// ```
    fn show_continuous_queries(&self) -> Self::Output<'_, Vec<ContinuousQueryInfo>> {
        Statements::show_continuous_queries(self)
    }

    /// Every continuous query (influxdb-python's name; one flat list, each
    /// with its `database`, where Python groups them by database).
    ///
    /// ```
    /// use influx::Management;
    /// # fn f(client: influx::blocking::Client) -> influx::Result<()> {
    /// let mine: Vec<_> = client.get_list_continuous_queries()?.into_iter().filter(|c| c.database == "metrics").collect();
    /// # Ok(()) }
    /// ```
    fn get_list_continuous_queries(&self) -> Self::Output<'_, Vec<ContinuousQueryInfo>> {
        Statements::show_continuous_queries(self)
    }

    /// Creates a continuous query on `database` (`None`: the client's) running
    /// `select`, a `SELECT ... INTO ... GROUP BY time(...)` statement, with
    /// optional `RESAMPLE` options (influxdb-python's
    /// `create_continuous_query(name, select, database, resample_opts)`).
    ///
    /// The select text is inserted as it is, like any query text: build it
    /// with a `query_pattern!` (or `Query::bind`) when it holds values from
    /// elsewhere.
    ///
    /// ```
    /// use influx::{Management, Render, Resample};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// let select = r#"SELECT mean("value") INTO "cpu_mean" FROM "cpu" GROUP BY time(1m)"#;
    /// client.create_continuous_query("cpu_mean", select, None, Resample::new().every("10s").for_("2m")).await?;
    /// # Ok(()) }
    /// let q = Render.create_continuous_query("cq", "SELECT max(v) INTO m2 FROM m GROUP BY time(1h)", "db", None).unwrap();
    /// assert_eq!(q.text(), r#"CREATE CONTINUOUS QUERY "cq" ON "db" BEGIN SELECT max(v) INTO m2 FROM m GROUP BY time(1h) END"#);
    /// assert!(Render.create_continuous_query("cq", "DROP DATABASE db", "db", None).is_err());
    /// ```
    fn create_continuous_query<'d>(
        &self,
        name: impl AsRef<str>,
        select: impl Into<Query>,
        database: impl OptionalName<'d>,
        resample: impl Into<Option<Resample>>,
    ) -> Self::Output<'_, ()> {
        let select = select.into();
        let query = (|| {
            let db = database_of(self, database.into_name())?;
            let text = select.text().trim().trim_end_matches(';');
            if !text.get(..7).is_some_and(|s| s.eq_ignore_ascii_case("SELECT ")) {
                return Err(argument("a continuous query runs one SELECT statement"));
            }
            let mut q = String::from("CREATE CONTINUOUS QUERY ");
            Ident::new(name.as_ref()).write_ident(&mut q);
            q.push_str(" ON ");
            Ident::new(db).write_ident(&mut q);
            if let Some(r) = resample.into() {
                q.push_str(" RESAMPLE");
                if let Some(every) = r.every {
                    let every = every.map_err(|e| argument(e).context("RESAMPLE EVERY"))?;
                    q.push_str(&format!(" EVERY {every}"));
                }
                if let Some(for_) = r.for_ {
                    let for_ = for_.map_err(|e| argument(e).context("RESAMPLE FOR"))?;
                    q.push_str(&format!(" FOR {for_}"));
                }
            }
            q.push_str(" BEGIN ");
            q.push_str(text);
            q.push_str(" END");
            Ok(crate::__private::pattern_query(q, true))
        })();
        self.execute::<()>(query)
    }

    /// Drops a continuous query of `database` (`None`: the client's).
    ///
    /// ```
    /// use influx::{Management, Render};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// client.drop_continuous_query("cpu_mean", None).await?;
    /// # Ok(()) }
    /// assert_eq!(Render.drop_continuous_query("cq", "db").unwrap().text(), r#"DROP CONTINUOUS QUERY "cq" ON "db""#);
    /// ```
    fn drop_continuous_query<'d>(
        &self,
        name: impl AsRef<str>,
        database: impl OptionalName<'d>,
    ) -> Self::Output<'_, ()> {
        match database_of(self, database.into_name()) {
            Ok(db) => Statements::drop_continuous_query(self, Ident::new(name.as_ref()), Ident::new(db)),
            Err(e) => self.execute::<()>(Err(e)),
        }
    }
}

impl<E: QueryExecutor + ?Sized> Management for E {}

/// A privilege on one database.
///
/// ```
/// use influx::Privilege;
/// assert_eq!(Privilege::Write.as_str(), "WRITE");
/// assert_eq!("read".parse::<Privilege>().unwrap(), Privilege::Read);
/// assert!("admin".parse::<Privilege>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Privilege {
    /// Query the database.
    Read,
    /// Write to the database.
    Write,
    /// Read and write.
    All,
}

impl Privilege {
    /// The InfluxQL keyword.
    ///
    /// ```
    /// assert_eq!(influx::Privilege::All.as_str(), "ALL");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Privilege::Read => "READ",
            Privilege::Write => "WRITE",
            Privilege::All => "ALL",
        }
    }
}

impl std::str::FromStr for Privilege {
    type Err = Error;

    /// `read`, `write` or `all`, in any case (influxdb-python's privilege strings).
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "read" => Ok(Privilege::Read),
            "write" => Ok(Privilege::Write),
            "all" | "all privileges" => Ok(Privilege::All),
            _ => Err(argument(format!("unknown privilege `{s}`: expected read, write or all"))),
        }
    }
}

/// Which attributes [`Management::alter_retention_policy`] changes; unset ones stay.
///
/// ```
/// let change = influx::RetentionPolicyChange::new().duration("7d").replication(1);
/// # let _ = change;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct RetentionPolicyChange {
    duration: Option<std::result::Result<Duration, String>>,
    replication: Option<u32>,
    shard_duration: Option<std::result::Result<Duration, String>>,
    default: bool,
}

fn duration_arg(d: impl IntoDuration) -> std::result::Result<Duration, String> {
    d.into_duration().map_err(|e| e.to_string())
}

impl RetentionPolicyChange {
    /// No change yet.
    ///
    /// ```
    /// assert_eq!(influx::RetentionPolicyChange::new(), influx::RetentionPolicyChange::default());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// A new data duration (`"14d"`, a `Duration`; `"INF"` or `None`: keep
    /// forever). Text that is not a duration fails the call.
    ///
    /// ```
    /// let c = influx::RetentionPolicyChange::new().duration("INF");
    /// # let _ = c;
    /// ```
    pub fn duration(mut self, duration: impl IntoDuration) -> Self {
        self.duration = Some(duration_arg(duration));
        self
    }

    /// A new replication factor.
    ///
    /// ```
    /// let c = influx::RetentionPolicyChange::new().replication(1);
    /// # let _ = c;
    /// ```
    pub fn replication(mut self, replication: u32) -> Self {
        self.replication = Some(replication);
        self
    }

    /// A new shard group duration.
    ///
    /// ```
    /// let c = influx::RetentionPolicyChange::new().shard_duration(std::time::Duration::from_secs(3600));
    /// # let _ = c;
    /// ```
    pub fn shard_duration(mut self, shard_duration: impl IntoDuration) -> Self {
        self.shard_duration = Some(duration_arg(shard_duration));
        self
    }

    /// Makes the policy the database's default.
    ///
    /// ```
    /// let c = influx::RetentionPolicyChange::new().make_default();
    /// # let _ = c;
    /// ```
    pub fn make_default(mut self) -> Self {
        self.default = true;
        self
    }
}

/// `RESAMPLE EVERY ... FOR ...` of a continuous query (influxdb-python's
/// `resample_opts`, `'EVERY 10s FOR 2m'`).
///
/// ```
/// use influx::{Management, Render, Resample};
/// let q = Render
///     .create_continuous_query("cq", "SELECT max(v) INTO m2 FROM m GROUP BY time(1m)", "db", Resample::new().every("10s").for_("2m"))
///     .unwrap();
/// assert!(q.text().contains(" RESAMPLE EVERY 10s FOR 2m BEGIN "));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct Resample {
    every: Option<std::result::Result<Duration, String>>,
    for_: Option<std::result::Result<Duration, String>>,
}

impl Resample {
    /// Neither option yet.
    ///
    /// ```
    /// let r = influx::Resample::new();
    /// # let _ = r;
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// How often the query runs (`"10s"`, a `Duration`).
    ///
    /// ```
    /// let r = influx::Resample::new().every("30s");
    /// # let _ = r;
    /// ```
    pub fn every(mut self, every: impl IntoDuration) -> Self {
        self.every = Some(duration_arg(every));
        self
    }

    /// The time range each run covers (`"2m"`, a `Duration`).
    ///
    /// ```
    /// let r = influx::Resample::new().for_("1h");
    /// # let _ = r;
    /// ```
    pub fn for_(mut self, for_: impl IntoDuration) -> Self {
        self.for_ = Some(duration_arg(for_));
        self
    }
}

/// `verb [FROM m] [WHERE k = 'v' AND ...]` on `db` (sent as the query's database).
fn series_filter(
    verb: &str,
    db: &str,
    measurement: Option<&str>,
    tags: &[(&str, &str)],
    needs_filter: bool,
) -> Result<Query> {
    if needs_filter && measurement.is_none() && tags.is_empty() {
        return Err(argument("delete_series needs a measurement or tags: use drop_database to delete everything"));
    }
    let mut q = String::from(verb);
    if let Some(m) = measurement {
        q.push_str(" FROM ");
        Ident::new(m).write_ident(&mut q);
    }
    for (i, (key, value)) in tags.iter().enumerate() {
        q.push_str(if i == 0 { " WHERE " } else { " AND " });
        Ident::new(key).write_ident(&mut q);
        q.push_str(" = ");
        value.write_value(&mut q).map_err(|e| e.context(format_args!("tag `{key}`")))?;
    }
    Ok(crate::__private::pattern_query(q, verb != "SHOW SERIES").database(db))
}

fn delete_statement(
    db: &str,
    measurement: Option<&str>,
    tags: &[(&str, &str)],
    time: &impl RangeBounds<chrono::DateTime<chrono::Utc>>,
) -> Result<Query> {
    let bounds = [(time.start_bound(), ">=", ">"), (time.end_bound(), "<=", "<")];
    let unbounded = bounds.iter().all(|(b, _, _)| matches!(b, Bound::Unbounded));
    if measurement.is_none() && tags.is_empty() && unbounded {
        return Err(argument(
            "delete_points needs a measurement, tags or a time range: use drop_database to delete everything",
        ));
    }
    let mut q = String::from("DELETE");
    if let Some(m) = measurement {
        q.push_str(" FROM ");
        Ident::new(m).write_ident(&mut q);
    }
    let mut first = true;
    let mut and = |q: &mut String| {
        q.push_str(if first { " WHERE " } else { " AND " });
        first = false;
    };
    for (key, value) in tags {
        and(&mut q);
        Ident::new(key).write_ident(&mut q);
        q.push_str(" = ");
        value.write_value(&mut q).map_err(|e| e.context(format_args!("tag `{key}`")))?;
    }
    for (bound, inclusive, exclusive) in bounds {
        let (op, t) = match bound {
            Bound::Included(t) => (inclusive, t),
            Bound::Excluded(t) => (exclusive, t),
            Bound::Unbounded => continue,
        };
        and(&mut q);
        q.push_str("time ");
        q.push_str(op);
        q.push(' ');
        t.write_value(&mut q)?;
    }
    Ok(crate::__private::pattern_query(q, true).database(db))
}

/// Implements [`DecodeRow`] by decoding a serde `Raw` row, then building the
/// public type with the series' name.
macro_rules! decode_via {
    ($ty:ident, $raw:ty, |$r:ident, $series:ident| $build:expr) => {
        impl DecodeRow for $ty {
            type Plan = ();
            fn plan(series: &SeriesInfo<'_>) -> std::result::Result<(), String> {
                <SerdeRow<$raw> as DecodeRow>::plan(series)
            }
            fn decode_row<'de, A: SeqAccess<'de>>(
                row: &mut RowReader<'_, 'de, A, ()>,
            ) -> std::result::Result<Self, A::Error> {
                #[allow(unused_variables)]
                fn build($r: $raw, $series: String) -> std::result::Result<$ty, String> {
                    $build
                }
                let series = row.series().name().to_owned();
                let raw = <SerdeRow<$raw> as DecodeRow>::decode_row(row)?.0;
                let built = build(raw, series);
                built.map_err(|e| row.fail_row(e))
            }
        }
    };
}

/// A row of `SHOW DATABASES`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[non_exhaustive]
pub struct DatabaseInfo {
    /// The database name.
    pub name: String,
}
decode_via!(DatabaseInfo, DatabaseInfo, |r, s| Ok(r));

/// A row of `SHOW MEASUREMENTS`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[non_exhaustive]
pub struct MeasurementInfo {
    /// The measurement name.
    pub name: String,
}
decode_via!(MeasurementInfo, MeasurementInfo, |r, s| Ok(r));

/// A row of `SHOW USERS`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[non_exhaustive]
pub struct UserInfo {
    /// The user name.
    pub user: String,
    /// True for admins.
    pub admin: bool,
}
decode_via!(UserInfo, UserInfo, |r, s| Ok(r));

/// A row of `SHOW SERIES`: the series key, `measurement,tag=value,...`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[non_exhaustive]
pub struct SeriesKey {
    /// The series key as the server prints it (line-protocol escaped).
    pub key: String,
}
decode_via!(SeriesKey, SeriesKey, |r, s| Ok(r));

#[derive(Deserialize)]
struct RawTagKey {
    #[serde(rename = "tagKey")]
    tag_key: String,
}

/// A row of `SHOW TAG KEYS`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct TagKey {
    /// The measurement.
    pub measurement: String,
    /// The tag key.
    pub key: String,
}
decode_via!(TagKey, RawTagKey, |r, s| Ok(TagKey { measurement: s, key: r.tag_key }));

#[derive(Deserialize)]
struct RawTagValue {
    key: String,
    value: String,
}

/// A row of `SHOW TAG VALUES`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct TagKeyValue {
    /// The measurement.
    pub measurement: String,
    /// The tag key.
    pub key: String,
    /// One value of the tag.
    pub value: String,
}
decode_via!(TagKeyValue, RawTagValue, |r, s| Ok(TagKeyValue { measurement: s, key: r.key, value: r.value }));

#[derive(Deserialize)]
struct RawFieldKey {
    #[serde(rename = "fieldKey")]
    field_key: String,
    #[serde(rename = "fieldType")]
    field_type: String,
}

/// A row of `SHOW FIELD KEYS`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct FieldKey {
    /// The measurement.
    pub measurement: String,
    /// The field key.
    pub key: String,
    /// `float`, `integer`, `string` or `boolean`.
    pub field_type: String,
}
decode_via!(FieldKey, RawFieldKey, |r, s| Ok(FieldKey { measurement: s, key: r.field_key, field_type: r.field_type }));

#[derive(Deserialize)]
struct RawRetentionPolicy {
    name: String,
    duration: String,
    #[serde(rename = "shardGroupDuration")]
    shard_group_duration: String,
    #[serde(rename = "replicaN")]
    replica_n: u32,
    default: bool,
}

/// A row of `SHOW RETENTION POLICIES`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RetentionPolicyInfo {
    /// The policy name.
    pub name: String,
    /// How long data is kept; zero means forever.
    pub duration: Duration,
    /// The time span of one shard group.
    pub shard_group_duration: Duration,
    /// The replication factor.
    pub replication: u32,
    /// True for the database's default policy.
    pub default: bool,
}
decode_via!(RetentionPolicyInfo, RawRetentionPolicy, |r, s| Ok(RetentionPolicyInfo {
    duration: r.duration.parse().map_err(|e: crate::Error| e.to_string())?,
    shard_group_duration: r.shard_group_duration.parse().map_err(|e: crate::Error| e.to_string())?,
    name: r.name,
    replication: r.replica_n,
    default: r.default,
}));

#[derive(Deserialize)]
struct RawGrant {
    database: String,
    privilege: String,
}

/// A row of `SHOW GRANTS FOR <user>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Grant {
    /// The database.
    pub database: String,
    /// The privilege, or `None` for the server's `NO PRIVILEGES`.
    pub privilege: Option<Privilege>,
}
decode_via!(Grant, RawGrant, |r, s| Ok(Grant {
    privilege: match r.privilege.as_str() {
        "READ" => Some(Privilege::Read),
        "WRITE" => Some(Privilege::Write),
        "ALL PRIVILEGES" => Some(Privilege::All),
        "NO PRIVILEGES" => None,
        other => return Err(format!("unknown privilege `{other}`")),
    },
    database: r.database,
}));

#[derive(Deserialize)]
struct RawContinuousQuery {
    name: String,
    query: String,
}

/// A row of `SHOW CONTINUOUS QUERIES`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ContinuousQueryInfo {
    /// The database the query belongs to.
    pub database: String,
    /// The query's name.
    pub name: String,
    /// The `CREATE CONTINUOUS QUERY` statement, as the server stores it.
    pub query: String,
}
decode_via!(ContinuousQueryInfo, RawContinuousQuery, |r, s| Ok(ContinuousQueryInfo {
    database: s,
    name: r.name,
    query: r.query,
}));

// The output types must be usable by every executor.
const _: fn() = || {
    fn output<T: QueryOutput>() {}
    output::<Vec<RetentionPolicyInfo>>();
};
