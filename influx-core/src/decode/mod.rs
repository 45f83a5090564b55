//! Query results: raw JSON structures and typed row decoding, for 1.x's
//! `/query` JSON and 3.x's `jsonl`/`json` answers.
//!
//! Rows decode straight from the response bytes into [`DecodeRow`] types
//! (derived structs, tuples, [`SerdeRow`] for any `serde::Deserialize`): the
//! series' columns are mapped to the type's members once per series, then each
//! row is decoded positionally. No `serde_json::Value` is built on the way.

pub(crate) mod body;
mod flux;
pub(crate) mod json;
pub(crate) mod jsonl;
mod response;
mod row;
pub(crate) mod stream;
mod tagged;
mod value;

pub use body::Message;
pub use flux::{
    decode_flux_records, decode_flux_rows, flux_record_stream, flux_row_stream, FluxColumn, FluxDataType, FluxRecord,
    FluxRecordDecoder, FluxRowDecoder, FluxTable, FluxValue,
};
pub use jsonl::{decode_json, decode_jsonl};
pub use response::{PointRef, QueryResponse, Series, StatementResult};
pub use row::{DecodeRow, RowReader, SerdeRow, SeriesInfo, Slot, SlotKind, SlotPlan, Tags};
pub use tagged::Tagged;
pub use value::{DecodeContext, DecodeTag, DecodeTime, DecodeValue};

/// The row access `DecodeRow::decode_row` is generic over (serde's), for generated code.
#[doc(hidden)]
pub use serde::de::SeqAccess;

pub(crate) use body::{decode_body, decode_body_rows, BodyOutcome, FnSink, RowSink, Rows, Typed};
#[cfg(feature = "arrow")]
pub(crate) use flux::{
    handler_stream as flux_handler_stream, CellError, Cells as FluxCells, Decoder as FluxDecoder,
    Handler as FluxHandler, Record as FluxCsvRecord, TableCtx as FluxTableCtx,
};
pub(crate) use json::from_slice as json_from_slice;

use crate::{Error, ErrorKind, Result};

/// Decodes a complete (non-chunked) `/query` body into rows of every statement.
///
/// A request-level or statement error becomes [`ErrorKind::Query`]; a result
/// the server cut short (`"partial": true`) becomes [`ErrorKind::Truncated`].
///
/// ```
/// # extern crate influx_core as influx;
/// use influx::decode::{decode_rows, DecodeContext};
/// let body = br#"{"results":[{"statement_id":0,"error":"database not found: nope"}]}"#;
/// let err = decode_rows::<(i64, f64)>(body, &DecodeContext::default()).unwrap_err();
/// assert_eq!(err.kind(), influx::ErrorKind::Query);
/// assert_eq!(err.to_string(), "statement 0: database not found: nope");
/// ```
pub fn decode_rows<T: DecodeRow>(body: &[u8], ctx: &DecodeContext) -> Result<Vec<T>> {
    let mut rows = Vec::new();
    let out = decode_body::<T, _>(body, ctx, None, &mut rows)?;
    check_outcome(&out, false)?;
    Ok(rows)
}

/// Turns errors the server put inside a 200 into typed errors.
///
/// `chunked`: `partial` then means "continued in the next chunk", not "cut short".
pub(crate) fn check_outcome(out: &BodyOutcome, chunked: bool) -> Result<()> {
    if let Some(e) = &out.error {
        return Err(query_failed(e));
    }
    for s in &out.statements {
        if let Some(e) = &s.error {
            return Err(statement_error(s.id, e));
        }
        if !chunked && (s.partial || s.series_partial) {
            return Err(truncated(s.id));
        }
    }
    Ok(())
}

/// [`check_outcome`] for a raw answer: the request-level error, then the
/// first failed statement.
pub(crate) fn check_response(r: &QueryResponse) -> Result<()> {
    if let Some(e) = &r.error {
        return Err(query_failed(e));
    }
    match r.results.iter().find_map(|s| Some((s.statement_id, s.error.as_deref()?))) {
        Some((id, e)) => Err(statement_error(id, e)),
        None => Ok(()),
    }
}

/// A request-level error the server put inside a 200.
pub(crate) fn query_failed(e: &str) -> Error {
    Error::new(ErrorKind::Query, format!("query failed: {e}")).with_server_message(e.to_owned())
}

pub(crate) fn statement_error(id: usize, e: &str) -> Error {
    Error::new(ErrorKind::Query, format!("statement {id}: {e}")).with_server_message(e.to_owned())
}

pub(crate) fn truncated(id: usize) -> Error {
    Error::new(
        ErrorKind::Truncated,
        format!("statement {id}: the server marked the result partial (max-row-limit?); use a chunked query"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Precision;

    const NS: DecodeContext = DecodeContext::new(Some(Precision::Nanoseconds));

    #[test]
    fn tuples_and_errors_say_where() {
        let body = br#"{"results":[{"statement_id":0,"series":[{"name":"cpu","tags":{"host":"a"},"columns":["time","v"],"values":[[1,0.5],[2,"x"]]}]}]}"#;
        let err = decode_rows::<(i64, f64)>(body, &NS).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode);
        assert_eq!(
            err.to_string(),
            "statement 0: series `cpu` (host=a): row 1: column `v`: found string \"x\", expected f64"
        );
        let err = decode_rows::<(i64,)>(body, &NS).unwrap_err();
        assert_eq!(
            err.to_string(),
            "statement 0: series `cpu` (host=a): the series has 2 columns, the tuple 1 elements"
        );
    }

    #[test]
    fn serde_rows_get_tags_and_nulls() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct R {
            time: i64,
            v: Option<f64>,
            host: String,
        }
        let body = br#"{"results":[{"statement_id":0,"series":[{"name":"cpu","tags":{"host":"a\"b"},"columns":["time","v"],"values":[[1,null],[2,3]]}]}]}"#;
        let rows = decode_rows::<SerdeRow<R>>(body, &NS).unwrap();
        assert_eq!(rows[0].0, R { time: 1, v: None, host: "a\"b".into() });
        assert_eq!(rows[1].0.v, Some(3.0));
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Missing {
            nope: f64,
        }
        let err = decode_rows::<SerdeRow<Missing>>(body, &NS).unwrap_err();
        assert_eq!(err.to_string(), "statement 0: series `cpu` (host=a\"b): row 0: missing field `nope`");
    }

    #[test]
    fn partial_means_truncated_unless_chunked() {
        let body = br#"{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","v"],"values":[[1,1]],"partial":true}]}]}"#;
        assert_eq!(decode_rows::<(i64, i64)>(body, &NS).unwrap_err().kind(), ErrorKind::Truncated);
        let mut rows = Vec::<(i64, i64)>::new();
        let out = decode_body(body, &NS, None, &mut rows).unwrap();
        check_outcome(&out, true).unwrap();
        assert_eq!(rows, vec![(1, 1)]);
    }

    #[test]
    fn top_level_error_and_empty_results() {
        let err = decode_rows::<(i64,)>(br#"{"error":"boom"}"#, &NS).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Query);
        assert!(decode_rows::<(i64,)>(br#"{"results":[{"statement_id":0}]}"#, &NS).unwrap().is_empty());
        assert_eq!(decode_rows::<(i64,)>(b"{", &NS).unwrap_err().kind(), ErrorKind::Decode);
    }

    #[test]
    fn values_before_columns_still_decode() {
        let body = br#"{"results":[{"series":[{"values":[[1,2]],"columns":["time","v"],"name":"m"}]}]}"#;
        assert_eq!(decode_rows::<(i64, i64)>(body, &NS).unwrap(), vec![(1, 2)]);
    }
}
