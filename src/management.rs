//! The management API: databases, measurements, series, retention policies,
//! users, privileges and continuous queries — aioinflux's built-in patterns and
//! influxdb-python's management methods, written with [`query_pattern!`](crate::query_pattern).
//!
//! Every method exists on the async client (returns a future), the blocking
//! client (returns a `Result`) and [`Render`](crate::Render) (returns the query).
//! Names go in as [`Ident`]s and are always double-quoted; passwords and other
//! values are single-quoted and escaped.

use serde::de::SeqAccess;
use serde::Deserialize;

use crate::decode::{DecodeRow, RowReader, SerdeRow, SeriesInfo};
use crate::influxql::{Duration, Ident, Measurement, QueryIdent, QueryValue, Regex};
use crate::{Query, QueryOutput, Result};

crate::query_pattern! {
    /// Server management through InfluxQL. Implemented for every
    /// [`QueryExecutor`](crate::QueryExecutor): `use influx::Management as _;` and call the methods on a
    /// client.
    ///
    /// ```no_run
    /// use influx::{Ident, Management as _};
    /// # async fn f(client: influx::Client) -> influx::Result<()> {
    /// client.create_database(Ident::new("metrics")).await?;
    /// for db in client.show_databases().await? {
    ///     println!("{}", db.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub trait Management {
        /// Creates a database (no error if it exists).
        fn create_database(db: Ident<'_>) = "CREATE DATABASE {db}";
        /// Drops a database and all its data.
        fn drop_database(db: Ident<'_>) = "DROP DATABASE {db}";
        /// Drops a measurement (of the client's database) and all its series.
        fn drop_measurement(measurement: Ident<'_>) = "DROP MEASUREMENT {measurement}";
        /// Every database.
        fn show_databases() -> Vec<DatabaseInfo> = "SHOW DATABASES";
        /// Every database (influxdb-python's name).
        fn get_list_database() -> Vec<DatabaseInfo> = "SHOW DATABASES";
        /// The measurements of the client's database.
        fn show_measurements() -> Vec<MeasurementInfo> = "SHOW MEASUREMENTS";
        /// The measurements of `db`.
        fn show_measurements_on(db: Ident<'_>) -> Vec<MeasurementInfo> = "SHOW MEASUREMENTS ON {db}";
        /// The measurements whose name matches `re`.
        fn show_measurements_matching(re: Regex<'_>) -> Vec<MeasurementInfo> =
            "SHOW MEASUREMENTS WITH MEASUREMENT =~ {re}";
        /// The measurements of the client's database (influxdb-python's name).
        fn get_list_measurements() -> Vec<MeasurementInfo> = "SHOW MEASUREMENTS";
        /// The series keys of the client's database.
        fn show_series() -> Vec<SeriesKey> = "SHOW SERIES";
        /// The series keys of one measurement.
        fn show_series_from(measurement: Measurement<'_>) -> Vec<SeriesKey> = "SHOW SERIES FROM {measurement}";
        /// The tag keys of every measurement.
        fn show_tag_keys() -> Vec<TagKey> = "SHOW TAG KEYS";
        /// The tag keys of one measurement.
        fn show_tag_keys_from(measurement: Measurement<'_>) -> Vec<TagKey> = "SHOW TAG KEYS FROM {measurement}";
        /// The values of tag `key` in one measurement.
        fn show_tag_values_from(measurement: Measurement<'_>, key: Ident<'_>) -> Vec<TagKeyValue> =
            "SHOW TAG VALUES FROM {measurement} WITH KEY = {key}";
        /// The field keys and types of every measurement.
        fn show_field_keys() -> Vec<FieldKey> = "SHOW FIELD KEYS";
        /// The field keys and types of one measurement.
        fn show_field_keys_from(measurement: Measurement<'_>) -> Vec<FieldKey> = "SHOW FIELD KEYS FROM {measurement}";
        /// The retention policies of `db`.
        fn show_retention_policies(db: Ident<'_>) -> Vec<RetentionPolicyInfo> = "SHOW RETENTION POLICIES ON {db}";
        /// The retention policies of `db` (influxdb-python's name).
        fn get_list_retention_policies(db: Ident<'_>) -> Vec<RetentionPolicyInfo> =
            "SHOW RETENTION POLICIES ON {db}";
        /// Creates a retention policy; a zero `shard_duration` lets the server choose.
        fn create_retention_policy(
            name: Ident<'_>,
            db: Ident<'_>,
            duration: Duration,
            replication: u32,
            shard_duration: Duration,
        ) = "CREATE RETENTION POLICY {name} ON {db} DURATION {duration} REPLICATION {replication} SHARD DURATION {shard_duration}";
        /// Creates a retention policy and makes it the database's default.
        fn create_default_retention_policy(
            name: Ident<'_>,
            db: Ident<'_>,
            duration: Duration,
            replication: u32,
            shard_duration: Duration,
        ) = "CREATE RETENTION POLICY {name} ON {db} DURATION {duration} REPLICATION {replication} SHARD DURATION {shard_duration} DEFAULT";
        /// Makes a retention policy the database's default.
        fn set_default_retention_policy(name: Ident<'_>, db: Ident<'_>) =
            "ALTER RETENTION POLICY {name} ON {db} DEFAULT";
        /// Drops a retention policy and its data.
        fn drop_retention_policy(name: Ident<'_>, db: Ident<'_>) = "DROP RETENTION POLICY {name} ON {db}";
        /// Every user and whether it is an admin.
        fn show_users() -> Vec<UserInfo> = "SHOW USERS";
        /// Every user (influxdb-python's name).
        fn get_list_users() -> Vec<UserInfo> = "SHOW USERS";
        /// Creates a user without privileges.
        fn create_user(user: Ident<'_>, password: &str) = "CREATE USER {user} WITH PASSWORD {password}";
        /// Creates an admin user (the only statement an auth-enabled server without users accepts).
        fn create_admin_user(user: Ident<'_>, password: &str) =
            "CREATE USER {user} WITH PASSWORD {password} WITH ALL PRIVILEGES";
        /// Drops a user.
        fn drop_user(user: Ident<'_>) = "DROP USER {user}";
        /// Sets a user's password.
        fn set_user_password(user: Ident<'_>, password: &str) = "SET PASSWORD FOR {user} = {password}";
        /// Makes a user an admin.
        fn grant_admin_privileges(user: Ident<'_>) = "GRANT ALL PRIVILEGES TO {user}";
        /// Takes admin rights from a user.
        fn revoke_admin_privileges(user: Ident<'_>) = "REVOKE ALL PRIVILEGES FROM {user}";
        /// Grants READ on a database.
        fn grant_read(db: Ident<'_>, user: Ident<'_>) = "GRANT READ ON {db} TO {user}";
        /// Grants WRITE on a database.
        fn grant_write(db: Ident<'_>, user: Ident<'_>) = "GRANT WRITE ON {db} TO {user}";
        /// Grants ALL (read and write) on a database.
        fn grant_all(db: Ident<'_>, user: Ident<'_>) = "GRANT ALL ON {db} TO {user}";
        /// Revokes READ on a database.
        fn revoke_read(db: Ident<'_>, user: Ident<'_>) = "REVOKE READ ON {db} FROM {user}";
        /// Revokes WRITE on a database.
        fn revoke_write(db: Ident<'_>, user: Ident<'_>) = "REVOKE WRITE ON {db} FROM {user}";
        /// Revokes ALL on a database.
        fn revoke_all(db: Ident<'_>, user: Ident<'_>) = "REVOKE ALL ON {db} FROM {user}";
        /// A user's privileges, per database.
        fn get_list_privileges(user: Ident<'_>) -> Vec<Grant> = "SHOW GRANTS FOR {user}";
        /// Every continuous query, with its database.
        fn show_continuous_queries() -> Vec<ContinuousQueryInfo> = "SHOW CONTINUOUS QUERIES";
        /// Every continuous query (influxdb-python's name).
        fn get_list_continuous_queries() -> Vec<ContinuousQueryInfo> = "SHOW CONTINUOUS QUERIES";
        /// Drops a continuous query.
        fn drop_continuous_query(name: Ident<'_>, db: Ident<'_>) = "DROP CONTINUOUS QUERY {name} ON {db}";
        /// Drops every series of a measurement (the measurement stays in the index until compaction).
        fn drop_series_from(measurement: Measurement<'_>) = "DROP SERIES FROM {measurement}";
    }
}

/// A privilege on one database.
///
/// ```
/// assert_eq!(influx::Privilege::Write.as_str(), "WRITE");
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

/// Which attributes [`ManagementExt::alter_retention_policy`] changes; unset ones stay.
///
/// ```
/// let change = influx::RetentionPolicyChange::default().duration(influx::influxql::Duration::from_days(7));
/// # let _ = change;
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[must_use]
pub struct RetentionPolicyChange {
    duration: Option<Duration>,
    replication: Option<u32>,
    shard_duration: Option<Duration>,
    default: bool,
}

impl RetentionPolicyChange {
    /// A new data duration (zero: keep forever).
    ///
    /// ```
    /// let c = influx::RetentionPolicyChange::default().duration(influx::influxql::Duration::INFINITE);
    /// # let _ = c;
    /// ```
    pub fn duration(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }

    /// A new replication factor.
    ///
    /// ```
    /// let c = influx::RetentionPolicyChange::default().replication(1);
    /// # let _ = c;
    /// ```
    pub fn replication(mut self, replication: u32) -> Self {
        self.replication = Some(replication);
        self
    }

    /// A new shard group duration.
    ///
    /// ```
    /// let c = influx::RetentionPolicyChange::default().shard_duration(influx::influxql::Duration::from_hours(1));
    /// # let _ = c;
    /// ```
    pub fn shard_duration(mut self, shard_duration: Duration) -> Self {
        self.shard_duration = Some(shard_duration);
        self
    }

    /// Makes the policy the database's default.
    ///
    /// ```
    /// let c = influx::RetentionPolicyChange::default().make_default();
    /// # let _ = c;
    /// ```
    pub fn make_default(mut self) -> Self {
        self.default = true;
        self
    }
}

/// `RESAMPLE EVERY ... FOR ...` of a continuous query.
///
/// ```
/// use influx::{influxql::Duration, Resample};
/// let r = Resample { every: Some(Duration::from_secs(10)), for_: Some(Duration::from_mins(2)) };
/// # let _ = r;
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resample {
    /// How often the query runs.
    pub every: Option<Duration>,
    /// The time range each run covers.
    pub for_: Option<Duration>,
}

/// Management methods whose statement text depends on their arguments (optional
/// clauses, tag filters), built from the same quoting as the patterns.
///
/// ```no_run
/// use influx::{Ident, ManagementExt as _, Privilege};
/// # fn f(client: influx::blocking::Client) -> influx::Result<()> {
/// client.grant_privilege(Privilege::Read, Ident::new("metrics"), Ident::new("grafana"))?;
/// client.delete_series(Some(Ident::new("cpu")), &[(Ident::new("host"), "server01")])?;
/// # Ok(()) }
/// ```
pub trait ManagementExt: Management {
    /// Grants `privilege` on `db` to `user`.
    fn grant_privilege<'a>(&'a self, privilege: Privilege, db: Ident<'_>, user: Ident<'_>) -> Self::Output<'a, ()> {
        match privilege {
            Privilege::Read => self.grant_read(db, user),
            Privilege::Write => self.grant_write(db, user),
            Privilege::All => self.grant_all(db, user),
        }
    }

    /// Revokes `privilege` on `db` from `user`.
    fn revoke_privilege<'a>(&'a self, privilege: Privilege, db: Ident<'_>, user: Ident<'_>) -> Self::Output<'a, ()> {
        match privilege {
            Privilege::Read => self.revoke_read(db, user),
            Privilege::Write => self.revoke_write(db, user),
            Privilege::All => self.revoke_all(db, user),
        }
    }

    /// Changes a retention policy; at least one attribute must be set.
    fn alter_retention_policy<'a>(
        &'a self,
        name: Ident<'_>,
        db: Ident<'_>,
        change: RetentionPolicyChange,
    ) -> Self::Output<'a, ()> {
        let mut q = String::from("ALTER RETENTION POLICY ");
        name.write_ident(&mut q);
        q.push_str(" ON ");
        db.write_ident(&mut q);
        let empty = q.len();
        if let Some(d) = change.duration {
            q.push_str(&format!(" DURATION {d}"));
        }
        if let Some(r) = change.replication {
            q.push_str(&format!(" REPLICATION {r}"));
        }
        if let Some(d) = change.shard_duration {
            q.push_str(&format!(" SHARD DURATION {d}"));
        }
        if change.default {
            q.push_str(" DEFAULT");
        }
        let query = if q.len() == empty {
            Err(crate::Error::new(crate::ErrorKind::Argument, "alter_retention_policy: nothing to change"))
        } else {
            Ok(crate::__private::pattern_query(q, true))
        };
        self.execute(query)
    }

    /// Deletes series by measurement and/or tag values (`DROP SERIES FROM ... WHERE ...`).
    /// With neither, it is an error: use [`Management::drop_database`] to delete everything.
    fn delete_series<'a>(&'a self, measurement: Option<Ident<'_>>, tags: &[(Ident<'_>, &str)]) -> Self::Output<'a, ()> {
        let query = series_filter("DROP SERIES", measurement, tags, true);
        self.execute(query)
    }

    /// The series keys, optionally of one measurement and matching tag values.
    fn get_list_series<'a>(
        &'a self,
        measurement: Option<Ident<'_>>,
        tags: &[(Ident<'_>, &str)],
    ) -> Self::Output<'a, Vec<SeriesKey>> {
        self.execute(series_filter("SHOW SERIES", measurement, tags, false))
    }

    /// Creates a continuous query running `select`, which must be a `SELECT ... INTO ...
    /// GROUP BY time(...)` statement rendered by a pattern (its text is inserted as is,
    /// so never build it from untrusted strings).
    fn create_continuous_query<'a>(
        &'a self,
        name: Ident<'_>,
        db: Ident<'_>,
        select: &Query,
        resample: Option<Resample>,
    ) -> Self::Output<'a, ()> {
        let text = select.text().trim().trim_end_matches(';');
        if !text.get(..7).is_some_and(|s| s.eq_ignore_ascii_case("SELECT ")) {
            return self.execute(Err(crate::Error::new(
                crate::ErrorKind::Argument,
                "a continuous query runs one SELECT statement",
            )));
        }
        let mut q = String::from("CREATE CONTINUOUS QUERY ");
        name.write_ident(&mut q);
        q.push_str(" ON ");
        db.write_ident(&mut q);
        if let Some(r) = resample {
            q.push_str(" RESAMPLE");
            if let Some(every) = r.every {
                q.push_str(&format!(" EVERY {every}"));
            }
            if let Some(for_) = r.for_ {
                q.push_str(&format!(" FOR {for_}"));
            }
        }
        q.push_str(" BEGIN ");
        q.push_str(text);
        q.push_str(" END");
        self.execute(Ok(crate::__private::pattern_query(q, true)))
    }
}

impl<E: Management + ?Sized> ManagementExt for E {}

fn series_filter(
    verb: &str,
    measurement: Option<Ident<'_>>,
    tags: &[(Ident<'_>, &str)],
    needs_filter: bool,
) -> Result<Query> {
    if needs_filter && measurement.is_none() && tags.is_empty() {
        return Err(crate::Error::new(
            crate::ErrorKind::Argument,
            "delete_series needs a measurement or tags: use drop_database to delete everything",
        ));
    }
    let mut q = String::from(verb);
    if let Some(m) = measurement {
        q.push_str(" FROM ");
        m.write_ident(&mut q);
    }
    for (i, (key, value)) in tags.iter().enumerate() {
        q.push_str(if i == 0 { " WHERE " } else { " AND " });
        key.write_ident(&mut q);
        q.push_str(" = ");
        value.write_value(&mut q)?;
    }
    Ok(crate::__private::pattern_query(q, verb != "SHOW SERIES"))
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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct DatabaseInfo {
    /// The database name.
    pub name: String,
}
decode_via!(DatabaseInfo, DatabaseInfo, |r, s| Ok(r));

/// A row of `SHOW MEASUREMENTS`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MeasurementInfo {
    /// The measurement name.
    pub name: String,
}
decode_via!(MeasurementInfo, MeasurementInfo, |r, s| Ok(r));

/// A row of `SHOW USERS`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct UserInfo {
    /// The user name.
    pub user: String,
    /// True for admins.
    pub admin: bool,
}
decode_via!(UserInfo, UserInfo, |r, s| Ok(r));

/// A row of `SHOW SERIES`: the series key, `measurement,tag=value,...`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
