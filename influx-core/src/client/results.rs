//! The kept answer of a multi-statement query, decoded per statement on demand.

use bytes::Bytes;
use serde::de::IgnoredAny;

use crate::decode::{
    decode_body, query_failed, statement_error, truncated, DecodeContext, DecodeRow, Message, QueryResponse, SerdeRow,
};
use crate::{Error, ErrorKind, Result};

/// The answer to a query of one or more statements; each statement's rows
/// decode into their own type with [`QueryResults::rows`].
///
/// The server runs statements in order and stops at the first failure: that
/// statement carries the error and later ones are absent.
///
/// ```no_run
/// # extern crate influx_core as influx;
/// # async fn f(client: influx::Client) -> influx::Result<()> {
/// let res = client.query_multi("SELECT count(v) FROM a; SHOW TAG KEYS FROM b").await?;
/// assert_eq!(res.len(), 2);
/// let counts: Vec<(i64, i64)> = res.rows(0)?;
/// let keys: Vec<(String,)> = res.rows(1)?;
/// # let _ = (counts, keys); Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct QueryResults {
    chunks: Vec<Bytes>,
    ctx: DecodeContext,
    chunked: bool,
    statements: Vec<Summary>,
    error: Option<String>,
}

#[derive(Debug, Clone)]
struct Summary {
    id: usize,
    error: Option<String>,
    partial: bool,
    messages: Vec<Message>,
}

impl QueryResults {
    pub(crate) fn new(chunks: Vec<Bytes>, ctx: DecodeContext, chunked: bool) -> Result<Self> {
        let mut statements: Vec<Summary> = Vec::new();
        let mut error = None;
        for c in &chunks {
            let mut sink = Vec::<SerdeRow<IgnoredAny>>::new();
            let out = decode_body(c, &ctx, Some(usize::MAX), &mut sink)?;
            error = error.or(out.error);
            for s in out.statements {
                let partial = !chunked && (s.partial || s.series_partial);
                match statements.iter_mut().find(|x| x.id == s.id) {
                    // Chunked answers repeat a failed statement as "not executed": keep the first error.
                    Some(x) => {
                        x.error = x.error.take().or(s.error);
                        x.messages.extend(s.messages);
                    }
                    None => statements.push(Summary { id: s.id, error: s.error, partial, messages: s.messages }),
                }
            }
        }
        Ok(Self { chunks, ctx, chunked, statements, error })
    }

    /// How many statements the answer holds.
    pub fn len(&self) -> usize {
        self.statements.len()
    }

    /// True if the answer holds no statement (e.g. a request-level error).
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// The statement ids in the answer, in order.
    pub fn statement_ids(&self) -> impl Iterator<Item = usize> + '_ {
        self.statements.iter().map(|s| s.id)
    }

    /// The server's error for statement `id` (or for the whole request), if it failed.
    pub fn error(&self, id: usize) -> Option<&str> {
        self.error.as_deref().or_else(|| self.statements.iter().find(|s| s.id == id)?.error.as_deref())
    }

    /// Messages (warnings) the server attached to statement `id`.
    pub fn messages(&self, id: usize) -> &[Message] {
        self.statements.iter().find(|s| s.id == id).map_or(&[], |s| &s.messages)
    }

    /// Decodes the rows of statement `id` into `T`.
    ///
    /// Fails with [`ErrorKind::Query`] if that statement (or the request)
    /// failed or is not in the answer.
    pub fn rows<T: DecodeRow>(&self, id: usize) -> Result<Vec<T>> {
        if let Some(e) = &self.error {
            return Err(query_failed(e));
        }
        let s = self.statements.iter().find(|s| s.id == id).ok_or_else(|| {
            Error::new(ErrorKind::Query, format!("statement {id} is not in the answer (an earlier one failed?)"))
        })?;
        if let Some(e) = &s.error {
            return Err(statement_error(id, e));
        }
        if s.partial {
            return Err(truncated(id));
        }
        let mut rows = Vec::new();
        for c in &self.chunks {
            decode_body(c, &self.ctx, Some(id), &mut rows)?;
        }
        let _ = self.chunked;
        Ok(rows)
    }
}

/// Appends one chunk of a chunked answer to `into`, joining series split across chunks.
pub(crate) fn merge_chunk(into: &mut QueryResponse, chunk: QueryResponse) {
    if chunk.error.is_some() {
        into.error = into.error.take().or(chunk.error);
    }
    for r in chunk.results {
        let Some(last) = into.results.last_mut().filter(|l| l.statement_id == r.statement_id) else {
            into.results.push(r);
            continue;
        };
        if r.error.is_some() {
            // The real error comes first; a later "not executed" for the same statement adds nothing.
            last.error = last.error.take().or(r.error);
        }
        last.partial = r.partial;
        last.messages.extend(r.messages);
        for s in r.series {
            match last.series.last_mut() {
                Some(prev)
                    if prev.partial && prev.name == s.name && prev.tags == s.tags && prev.columns == s.columns =>
                {
                    prev.values.extend(s.values);
                    prev.partial = s.partial;
                }
                _ => last.series.push(s),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Precision;

    fn parse(s: &str) -> QueryResponse {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn merges_split_series_and_keeps_first_error() {
        let mut r = QueryResponse::default();
        for c in [
            r#"{"results":[{"statement_id":0,"series":[{"name":"m","tags":{"h":"a"},"columns":["time","v"],"values":[[1,1]],"partial":true}],"partial":true}]}"#,
            r#"{"results":[{"statement_id":0,"series":[{"name":"m","tags":{"h":"a"},"columns":["time","v"],"values":[[2,2]]}],"partial":true}]}"#,
            r#"{"results":[{"statement_id":0,"series":[{"name":"m","tags":{"h":"b"},"columns":["time","v"],"values":[[3,3]]}]}]}"#,
            r#"{"results":[{"statement_id":1,"error":"database not found: x"}]}"#,
            r#"{"results":[{"statement_id":1,"error":"not executed"}]}"#,
        ] {
            merge_chunk(&mut r, parse(c));
        }
        assert_eq!(r.results.len(), 2);
        let s = &r.results[0].series;
        assert_eq!((s.len(), s[0].values.len(), s[0].partial, r.results[0].partial), (2, 2, false, false));
        assert_eq!(r.results[1].error.as_deref(), Some("database not found: x"));
    }

    #[test]
    fn statements_decode_separately() {
        let chunks = vec![
            Bytes::from_static(br#"{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","v"],"values":[[1,1.5]]}]}]}"#),
            Bytes::from_static(br#"{"results":[{"statement_id":1,"series":[{"name":"m","columns":["tagKey"],"values":[["h"]]}]}]}"#),
            Bytes::from_static(br#"{"results":[{"statement_id":2,"error":"boom"}]}"#),
            Bytes::from_static(br#"{"results":[{"statement_id":2,"error":"not executed"}]}"#),
        ];
        let r = QueryResults::new(chunks, DecodeContext::new(Some(Precision::Nanoseconds)), true).unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r.rows::<(i64, f64)>(0).unwrap(), vec![(1, 1.5)]);
        assert_eq!(r.rows::<(String,)>(1).unwrap(), vec![("h".to_owned(),)]);
        let e = r.rows::<(String,)>(2).unwrap_err();
        assert_eq!((e.kind(), e.to_string()), (ErrorKind::Query, "statement 2: boom".to_owned()));
        assert!(r.rows::<(String,)>(3).is_err());
    }
}
