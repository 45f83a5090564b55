//! [`Tagged`]: a row with its series' measurement and `GROUP BY` tags.

use std::collections::BTreeMap;

use serde::de::SeqAccess;

use super::{DecodeRow, RowReader, SeriesInfo};

/// A row of any [`DecodeRow`] type `T` with its series' measurement and tags.
///
/// `GROUP BY` tags are not columns: a tuple (one element per column) never
/// sees them, and a derived struct sees only the tags it names. Wrap the row
/// type in `Tagged` to keep them (copied for each row; [`Client::query_each`]
/// lends them per row without a copy).
///
/// [`Client::query_each`]: crate::Client::query_each
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::decode::{decode_rows, DecodeContext, Tagged};
/// let body = br#"{"results":[{"statement_id":0,"series":[
///     {"name":"cpu","tags":{"host":"a"},"columns":["time","v"],"values":[[1,0.5]]},
///     {"name":"cpu","tags":{"host":"b"},"columns":["time","v"],"values":[[1,0.25]]}]}]}"#;
/// let rows: Vec<Tagged<(i64, f64)>> = decode_rows(body, &DecodeContext::default()).unwrap();
/// assert_eq!(rows[1].tags["host"], "b");
/// assert_eq!((rows[1].measurement.as_str(), rows[1].row), ("cpu", (1, 0.25)));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Tagged<T> {
    /// The series' measurement.
    pub measurement: String,
    /// The series' tags (from `GROUP BY`).
    pub tags: BTreeMap<String, String>,
    /// The row itself.
    pub row: T,
}

impl<T: DecodeRow> DecodeRow for Tagged<T> {
    type Plan = T::Plan;

    fn plan(series: &SeriesInfo<'_>) -> Result<Self::Plan, String> {
        T::plan(series)
    }

    fn decode_row<'de, A: SeqAccess<'de>>(row: &mut RowReader<'_, 'de, A, Self::Plan>) -> Result<Self, A::Error> {
        let series = row.series();
        let (measurement, tags) =
            (series.name().to_owned(), series.tags().map(|(k, v)| (k.to_owned(), v.to_owned())).collect());
        Ok(Tagged { measurement, tags, row: T::decode_row(row)? })
    }
}
